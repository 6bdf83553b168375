/*
 * The part of the Linux DRM/KMS user-space API that kiosk's display backend uses, declared
 * from the kernel's include/uapi/drm/drm.h, drm_mode.h and drm_fourcc.h (Linux 6.1, as
 * shipped by Debian's linux-headers-6.1.0-*-common), because Debian's linux-libc-dev does
 * not ship them and kiosk links no libdrm. Structures keep the kernel's names and field
 * order; only what KioskSystem/DRM uses is declared. The ioctl request numbers are
 * function-like macros in the kernel's headers: CLinux.c computes them with _IOWR from
 * <asm/ioctl.h> and exposes them as functions (kiosk_DRM_IOCTL_*).
 *
 * The notices of the files these declarations come from:
 *
 * drm.h:
 * Copyright 1999 Precision Insight, Inc., Cedar Park, Texas.
 * Copyright 2000 VA Linux Systems, Inc., Sunnyvale, California.
 * All rights reserved.
 *
 * drm_mode.h:
 * Copyright (c) 2007 Dave Airlie <airlied@linux.ie>
 * Copyright (c) 2007 Jakob Bornecrantz <wallbraker@gmail.com>
 * Copyright (c) 2008 Red Hat Inc.
 * Copyright (c) 2007-2008 Tungsten Graphics, Inc., Cedar Park, TX., USA
 * Copyright (c) 2007-2008 Intel Corporation
 *
 * drm_fourcc.h:
 * Copyright 2011 Intel Corporation
 *
 * Permission is hereby granted, free of charge, to any person obtaining a
 * copy of this software and associated documentation files (the "Software"),
 * to deal in the Software without restriction, including without limitation
 * the rights to use, copy, modify, merge, publish, distribute, sublicense,
 * and/or sell copies of the Software, and to permit persons to whom the
 * Software is furnished to do so, subject to the following conditions:
 *
 * The above copyright notice and this permission notice (including the next
 * paragraph) shall be included in all copies or substantial portions of the
 * Software.
 *
 * THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
 * IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
 * FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT.  IN NO EVENT SHALL
 * THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR
 * OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE,
 * ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR
 * OTHER DEALINGS IN THE SOFTWARE.
 */
#ifndef KIOSK_DRM_H
#define KIOSK_DRM_H
#include <linux/types.h>

/* --- drm.h ------------------------------------------------------------------------- */

struct drm_clip_rect {
	unsigned short x1;
	unsigned short y1;
	unsigned short x2;
	unsigned short y2;
};

struct drm_version {
	int version_major;
	int version_minor;
	int version_patchlevel;
	__kernel_size_t name_len;
	char *name;
	__kernel_size_t date_len;
	char *date;
	__kernel_size_t desc_len;
	char *desc;
};

#define DRM_CAP_DUMB_BUFFER		0x1
#define DRM_CAP_DUMB_PREFERRED_DEPTH	0x3
#define DRM_CAP_TIMESTAMP_MONOTONIC	0x6

struct drm_get_cap {
	__u64 capability;
	__u64 value;
};

#define DRM_CLIENT_CAP_UNIVERSAL_PLANES  2

struct drm_set_client_cap {
	__u64 capability;
	__u64 value;
};

struct drm_event {
	__u32 type;
	__u32 length;
};

#define DRM_EVENT_VBLANK 0x01
#define DRM_EVENT_FLIP_COMPLETE 0x02

struct drm_event_vblank {
	struct drm_event base;
	__u64 user_data;
	__u32 tv_sec;
	__u32 tv_usec;
	__u32 sequence;
	__u32 crtc_id; /* 0 on older kernels that do not support this */
};

/* --- drm_mode.h -------------------------------------------------------------------- */

#define DRM_DISPLAY_MODE_LEN	32
#define DRM_PROP_NAME_LEN	32

#define DRM_MODE_TYPE_PREFERRED	(1<<3)
#define DRM_MODE_TYPE_USERDEF	(1<<5)
#define DRM_MODE_TYPE_DRIVER	(1<<6)

#define DRM_MODE_FLAG_INTERLACE			(1<<4)
#define DRM_MODE_FLAG_DBLSCAN			(1<<5)

#define DRM_MODE_DPMS_ON	0
#define DRM_MODE_DPMS_OFF	3

struct drm_mode_modeinfo {
	__u32 clock;
	__u16 hdisplay;
	__u16 hsync_start;
	__u16 hsync_end;
	__u16 htotal;
	__u16 hskew;
	__u16 vdisplay;
	__u16 vsync_start;
	__u16 vsync_end;
	__u16 vtotal;
	__u16 vscan;

	__u32 vrefresh;

	__u32 flags;
	__u32 type;
	char name[DRM_DISPLAY_MODE_LEN];
};

struct drm_mode_card_res {
	__u64 fb_id_ptr;
	__u64 crtc_id_ptr;
	__u64 connector_id_ptr;
	__u64 encoder_id_ptr;
	__u32 count_fbs;
	__u32 count_crtcs;
	__u32 count_connectors;
	__u32 count_encoders;
	__u32 min_width;
	__u32 max_width;
	__u32 min_height;
	__u32 max_height;
};

struct drm_mode_crtc {
	__u64 set_connectors_ptr;
	__u32 count_connectors;

	__u32 crtc_id; /**< Id */
	__u32 fb_id; /**< Id of framebuffer */

	__u32 x; /**< x Position on the framebuffer */
	__u32 y; /**< y Position on the framebuffer */

	__u32 gamma_size;
	__u32 mode_valid;
	struct drm_mode_modeinfo mode;
};

struct drm_mode_get_plane {
	__u32 plane_id;
	__u32 crtc_id;
	__u32 fb_id;
	__u32 possible_crtcs;
	__u32 gamma_size;
	__u32 count_format_types;
	__u64 format_type_ptr;
};

struct drm_mode_get_plane_res {
	__u64 plane_id_ptr;
	__u32 count_planes;
};

struct drm_mode_get_encoder {
	__u32 encoder_id;
	__u32 encoder_type;

	__u32 crtc_id; /**< Id of crtc */

	__u32 possible_crtcs;
	__u32 possible_clones;
};

/* Connector types: the kernel's drm_connector_enum_list gives their names. */
#define DRM_MODE_CONNECTOR_Unknown	0
#define DRM_MODE_CONNECTOR_VIRTUAL      15

struct drm_mode_get_connector {
	__u64 encoders_ptr;
	__u64 modes_ptr;
	__u64 props_ptr;
	__u64 prop_values_ptr;

	__u32 count_modes;
	__u32 count_props;
	__u32 count_encoders;

	__u32 encoder_id;
	__u32 connector_id;
	__u32 connector_type;
	__u32 connector_type_id;

	__u32 connection;
	__u32 mm_width;
	__u32 mm_height;
	__u32 subpixel;

	__u32 pad;
};

#define DRM_MODE_PROP_RANGE	(1<<1)
#define DRM_MODE_PROP_IMMUTABLE	(1<<2)
#define DRM_MODE_PROP_ENUM	(1<<3) /* enumerated type with text strings */
#define DRM_MODE_PROP_BITMASK	(1<<5) /* bitmask of enumerated types */

struct drm_mode_property_enum {
	__u64 value;
	char name[DRM_PROP_NAME_LEN];
};

struct drm_mode_get_property {
	__u64 values_ptr;
	__u64 enum_blob_ptr;

	__u32 prop_id;
	__u32 flags;
	char name[DRM_PROP_NAME_LEN];

	__u32 count_values;
	__u32 count_enum_blobs;
};

#define DRM_MODE_OBJECT_CONNECTOR 0xc0c0c0c0
#define DRM_MODE_OBJECT_PLANE 0xeeeeeeee

struct drm_mode_obj_get_properties {
	__u64 props_ptr;
	__u64 prop_values_ptr;
	__u32 count_props;
	__u32 obj_id;
	__u32 obj_type;
};

struct drm_mode_obj_set_property {
	__u64 value;
	__u32 prop_id;
	__u32 obj_id;
	__u32 obj_type;
};

struct drm_mode_fb_cmd2 {
	__u32 fb_id;
	__u32 width;
	__u32 height;
	__u32 pixel_format;
	__u32 flags;

	__u32 handles[4];
	__u32 pitches[4];
	__u32 offsets[4];
	__u64 modifier[4];
};

#define DRM_MODE_FB_DIRTY_MAX_CLIPS     256

struct drm_mode_fb_dirty_cmd {
	__u32 fb_id;
	__u32 flags;
	__u32 color;
	__u32 num_clips;
	__u64 clips_ptr;
};

#define DRM_MODE_PAGE_FLIP_EVENT 0x01

struct drm_mode_crtc_page_flip {
	__u32 crtc_id;
	__u32 fb_id;
	__u32 flags;
	__u32 reserved;
	__u64 user_data;
};

struct drm_mode_create_dumb {
	__u32 height;
	__u32 width;
	__u32 bpp;
	__u32 flags;
	/* handle, pitch, size will be returned */
	__u32 handle;
	__u32 pitch;
	__u64 size;
};

struct drm_mode_map_dumb {
	__u32 handle;
	__u32 pad;
	__u64 offset;
};

struct drm_mode_destroy_dumb {
	__u32 handle;
};

/* --- drm_fourcc.h ------------------------------------------------------------------ */

/* [15:0] R:G:B 5:6:5 little endian */
#define DRM_FORMAT_RGB565	0x36314752u /* fourcc_code('R', 'G', '1', '6') */
/* [31:0] x:R:G:B 8:8:8:8 little endian */
#define DRM_FORMAT_XRGB8888	0x34325258u /* fourcc_code('X', 'R', '2', '4') */

/* --- the request numbers (DRM_IOCTL_*), computed in CLinux.c ------------------------ */

unsigned long kiosk_DRM_IOCTL_VERSION(void);
unsigned long kiosk_DRM_IOCTL_GET_CAP(void);
unsigned long kiosk_DRM_IOCTL_SET_CLIENT_CAP(void);
unsigned long kiosk_DRM_IOCTL_SET_MASTER(void);
unsigned long kiosk_DRM_IOCTL_DROP_MASTER(void);
unsigned long kiosk_DRM_IOCTL_MODE_GETRESOURCES(void);
unsigned long kiosk_DRM_IOCTL_MODE_GETCRTC(void);
unsigned long kiosk_DRM_IOCTL_MODE_SETCRTC(void);
unsigned long kiosk_DRM_IOCTL_MODE_GETENCODER(void);
unsigned long kiosk_DRM_IOCTL_MODE_GETCONNECTOR(void);
unsigned long kiosk_DRM_IOCTL_MODE_GETPROPERTY(void);
unsigned long kiosk_DRM_IOCTL_MODE_RMFB(void);
unsigned long kiosk_DRM_IOCTL_MODE_PAGE_FLIP(void);
unsigned long kiosk_DRM_IOCTL_MODE_DIRTYFB(void);
unsigned long kiosk_DRM_IOCTL_MODE_CREATE_DUMB(void);
unsigned long kiosk_DRM_IOCTL_MODE_MAP_DUMB(void);
unsigned long kiosk_DRM_IOCTL_MODE_DESTROY_DUMB(void);
unsigned long kiosk_DRM_IOCTL_MODE_GETPLANERESOURCES(void);
unsigned long kiosk_DRM_IOCTL_MODE_GETPLANE(void);
unsigned long kiosk_DRM_IOCTL_MODE_ADDFB2(void);
unsigned long kiosk_DRM_IOCTL_MODE_OBJ_GETPROPERTIES(void);
unsigned long kiosk_DRM_IOCTL_MODE_OBJ_SETPROPERTY(void);

#endif
