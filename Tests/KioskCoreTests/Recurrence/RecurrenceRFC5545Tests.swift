import Foundation
import KioskCore
import Testing

/// Every RRULE example of RFC 5545 section 3.8.5.3, with the RFC's own expected dates
/// (DTSTART;TZID=America/New_York). Unbounded examples check the first instances the RFC
/// lists.
@Suite("RFC 5545 3.8.5.3 recurrence examples")
struct RecurrenceRFC5545Tests {
    @Test func dailyFor10Occurrences() {
        #expect(expandedStarts(dtstart: "19970902T090000", rule: "FREQ=DAILY;COUNT=10") == days(1997, 9, 2...11))
    }

    @Test func dailyUntilDecember24() {
        let expected = days(1997, 9, 2...30) + days(1997, 10, 1...31) + days(1997, 11, 1...30) + days(1997, 12, 1...23)
        #expect(expandedStarts(dtstart: "19970902T090000", rule: "FREQ=DAILY;UNTIL=19971224T000000Z") == expected)
    }

    @Test func everyOtherDayForever() {
        let expected = days(1997, 9, Array(stride(from: 2, through: 30, by: 2))) + days(1997, 10, Array(stride(from: 2, through: 30, by: 2)))
            + days(1997, 11, Array(stride(from: 1, through: 29, by: 2))) + days(1997, 12, [1, 3])
        #expect(expandedStarts(dtstart: "19970902T090000", rule: "FREQ=DAILY;INTERVAL=2", limit: expected.count) == expected)
    }

    @Test func every10Days5Occurrences() {
        #expect(expandedStarts(dtstart: "19970902T090000", rule: "FREQ=DAILY;INTERVAL=10;COUNT=5")
            == days(1997, 9, [2, 12, 22]) + days(1997, 10, [2, 12]))
    }

    @Test func everyDayInJanuaryFor3YearsYearly() {
        let expected = days(1998, 1, 1...31) + days(1999, 1, 1...31) + days(2000, 1, 1...31)
        #expect(expandedStarts(dtstart: "19980101T090000",
            rule: "FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA") == expected)
    }

    @Test func everyDayInJanuaryFor3YearsDaily() {
        let expected = days(1998, 1, 1...31) + days(1999, 1, 1...31) + days(2000, 1, 1...31)
        #expect(expandedStarts(dtstart: "19980101T090000", rule: "FREQ=DAILY;UNTIL=20000131T140000Z;BYMONTH=1") == expected)
    }

    @Test func weeklyFor10Occurrences() {
        #expect(expandedStarts(dtstart: "19970902T090000", rule: "FREQ=WEEKLY;COUNT=10")
            == days(1997, 9, [2, 9, 16, 23, 30]) + days(1997, 10, [7, 14, 21, 28]) + days(1997, 11, [4]))
    }

    @Test func weeklyUntilDecember24() {
        #expect(expandedStarts(dtstart: "19970902T090000", rule: "FREQ=WEEKLY;UNTIL=19971224T000000Z")
            == days(1997, 9, [2, 9, 16, 23, 30]) + days(1997, 10, [7, 14, 21, 28]) + days(1997, 11, [4, 11, 18, 25])
            + days(1997, 12, [2, 9, 16, 23]))
    }

    @Test func everyOtherWeekForever() {
        let expected = days(1997, 9, [2, 16, 30]) + days(1997, 10, [14, 28]) + days(1997, 11, [11, 25])
            + days(1997, 12, [9, 23]) + days(1998, 1, [6, 20]) + days(1998, 2, [3, 17])
        #expect(expandedStarts(dtstart: "19970902T090000", rule: "FREQ=WEEKLY;INTERVAL=2;WKST=SU", limit: expected.count) == expected)
    }

    @Test func weeklyOnTuesdayAndThursdayForFiveWeeks() {
        let expected = days(1997, 9, [2, 4, 9, 11, 16, 18, 23, 25, 30]) + days(1997, 10, [2])
        #expect(expandedStarts(dtstart: "19970902T090000", rule: "FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH") == expected)
        #expect(expandedStarts(dtstart: "19970902T090000", rule: "FREQ=WEEKLY;COUNT=10;WKST=SU;BYDAY=TU,TH") == expected)
    }

    @Test func everyOtherWeekOnMondayWednesdayFriday() {
        let expected = days(1997, 9, [1, 3, 5, 15, 17, 19, 29]) + days(1997, 10, [1, 3, 13, 15, 17, 27, 29, 31])
            + days(1997, 11, [10, 12, 14, 24, 26, 28]) + days(1997, 12, [8, 10, 12, 22])
        #expect(expandedStarts(dtstart: "19970901T090000",
            rule: "FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR") == expected)
    }

    @Test func everyOtherWeekOnTuesdayAndThursdayFor8() {
        #expect(expandedStarts(dtstart: "19970902T090000", rule: "FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH")
            == days(1997, 9, [2, 4, 16, 18, 30]) + days(1997, 10, [2, 14, 16]))
    }

    @Test func monthlyOnFirstFridayFor10() {
        let expected = days(1997, 9, [5]) + days(1997, 10, [3]) + days(1997, 11, [7]) + days(1997, 12, [5])
            + days(1998, 1, [2]) + days(1998, 2, [6]) + days(1998, 3, [6]) + days(1998, 4, [3]) + days(1998, 5, [1]) + days(1998, 6, [5])
        #expect(expandedStarts(dtstart: "19970905T090000", rule: "FREQ=MONTHLY;COUNT=10;BYDAY=1FR") == expected)
    }

    @Test func monthlyOnFirstFridayUntilDecember24() {
        #expect(expandedStarts(dtstart: "19970905T090000", rule: "FREQ=MONTHLY;UNTIL=19971224T000000Z;BYDAY=1FR")
            == days(1997, 9, [5]) + days(1997, 10, [3]) + days(1997, 11, [7]) + days(1997, 12, [5]))
    }

    @Test func everyOtherMonthOnFirstAndLastSunday() {
        let expected = days(1997, 9, [7, 28]) + days(1997, 11, [2, 30]) + days(1998, 1, [4, 25]) + days(1998, 3, [1, 29]) + days(1998, 5, [3, 31])
        #expect(expandedStarts(dtstart: "19970907T090000", rule: "FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU") == expected)
    }

    @Test func monthlyOnSecondToLastMondayFor6Months() {
        let expected = days(1997, 9, [22]) + days(1997, 10, [20]) + days(1997, 11, [17]) + days(1997, 12, [22]) + days(1998, 1, [19]) + days(1998, 2, [16])
        #expect(expandedStarts(dtstart: "19970922T090000", rule: "FREQ=MONTHLY;COUNT=6;BYDAY=-2MO") == expected)
    }

    @Test func monthlyOnThirdToLastDayForever() {
        let expected = days(1997, 9, [28]) + days(1997, 10, [29]) + days(1997, 11, [28]) + days(1997, 12, [29]) + days(1998, 1, [29]) + days(1998, 2, [26])
        #expect(expandedStarts(dtstart: "19970928T090000", rule: "FREQ=MONTHLY;BYMONTHDAY=-3", limit: 6) == expected)
    }

    @Test func monthlyOn2ndAnd15thFor10() {
        let expected = days(1997, 9, [2, 15]) + days(1997, 10, [2, 15]) + days(1997, 11, [2, 15]) + days(1997, 12, [2, 15]) + days(1998, 1, [2, 15])
        #expect(expandedStarts(dtstart: "19970902T090000", rule: "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15") == expected)
    }

    @Test func monthlyOnFirstAndLastDayFor10() {
        let expected = days(1997, 9, [30]) + days(1997, 10, [1, 31]) + days(1997, 11, [1, 30]) + days(1997, 12, [1, 31])
            + days(1998, 1, [1, 31]) + days(1998, 2, [1])
        #expect(expandedStarts(dtstart: "19970930T090000", rule: "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1") == expected)
    }

    @Test func every18MonthsOn10thThru15th() {
        #expect(expandedStarts(dtstart: "19970910T090000", rule: "FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15")
            == days(1997, 9, 10...15) + days(1999, 3, 10...13))
    }

    @Test func everyTuesdayEveryOtherMonth() {
        let expected = days(1997, 9, [2, 9, 16, 23, 30]) + days(1997, 11, [4, 11, 18, 25]) + days(1998, 1, [6, 13, 20, 27]) + days(1998, 3, [3, 10, 17, 24, 31])
        #expect(expandedStarts(dtstart: "19970902T090000", rule: "FREQ=MONTHLY;INTERVAL=2;BYDAY=TU", limit: expected.count) == expected)
    }

    @Test func yearlyInJuneAndJulyFor10() {
        let expected = (1997...2001).flatMap { days($0, 6, [10]) + days($0, 7, [10]) }
        #expect(expandedStarts(dtstart: "19970610T090000", rule: "FREQ=YEARLY;COUNT=10;BYMONTH=6,7") == expected)
    }

    @Test func everyOtherYearOnJanuaryFebruaryMarchFor10() {
        let expected = days(1997, 3, [10]) + [1999, 2001, 2003].flatMap { days($0, 1, [10]) + days($0, 2, [10]) + days($0, 3, [10]) }
        #expect(expandedStarts(dtstart: "19970310T090000", rule: "FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3") == expected)
    }

    @Test func every3rdYearOnDays1_100_200For10() {
        let expected = days(1997, 1, [1]) + days(1997, 4, [10]) + days(1997, 7, [19])
            + days(2000, 1, [1]) + days(2000, 4, [9]) + days(2000, 7, [18])
            + days(2003, 1, [1]) + days(2003, 4, [10]) + days(2003, 7, [19]) + days(2006, 1, [1])
        #expect(expandedStarts(dtstart: "19970101T090000", rule: "FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200") == expected)
    }

    @Test func every20thMondayOfTheYear() {
        #expect(expandedStarts(dtstart: "19970519T090000", rule: "FREQ=YEARLY;BYDAY=20MO", limit: 3)
            == days(1997, 5, [19]) + days(1998, 5, [18]) + days(1999, 5, [17]))
    }

    @Test func mondayOfWeekNumber20() {
        #expect(expandedStarts(dtstart: "19970512T090000", rule: "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO", limit: 3)
            == days(1997, 5, [12]) + days(1998, 5, [11]) + days(1999, 5, [17]))
    }

    @Test func everyThursdayInMarch() {
        let expected = days(1997, 3, [13, 20, 27]) + days(1998, 3, [5, 12, 19, 26]) + days(1999, 3, [4, 11, 18, 25])
        #expect(expandedStarts(dtstart: "19970313T090000", rule: "FREQ=YEARLY;BYMONTH=3;BYDAY=TH", limit: expected.count) == expected)
    }

    @Test func everyThursdayInJuneJulyAugust() {
        let expected = days(1997, 6, [5, 12, 19, 26]) + days(1997, 7, [3, 10, 17, 24, 31]) + days(1997, 8, [7, 14, 21, 28])
            + days(1998, 6, [4, 11, 18, 25]) + days(1998, 7, [2, 9, 16, 23, 30]) + days(1998, 8, [6, 13, 20, 27])
            + days(1999, 6, [3, 10, 17, 24]) + days(1999, 7, [1, 8, 15, 22, 29]) + days(1999, 8, [5, 12, 19, 26])
        #expect(expandedStarts(dtstart: "19970605T090000", rule: "FREQ=YEARLY;BYDAY=TH;BYMONTH=6,7,8", limit: expected.count) == expected)
    }

    @Test func everyFridayThe13th() {
        let expected = days(1998, 2, [13]) + days(1998, 3, [13]) + days(1998, 11, [13]) + days(1999, 8, [13]) + days(2000, 10, [13])
        #expect(expandedStarts(dtstart: "19970902T090000", rule: "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13",
            exdates: ["19970902T090000"], limit: expected.count) == expected)
    }

    @Test func firstSaturdayAfterFirstSunday() {
        let expected = days(1997, 9, [13]) + days(1997, 10, [11]) + days(1997, 11, [8]) + days(1997, 12, [13])
            + days(1998, 1, [10]) + days(1998, 2, [7]) + days(1998, 3, [7]) + days(1998, 4, [11]) + days(1998, 5, [9]) + days(1998, 6, [13])
        #expect(expandedStarts(dtstart: "19970913T090000", rule: "FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13", limit: expected.count) == expected)
    }

    @Test func usPresidentialElectionDay() {
        #expect(expandedStarts(dtstart: "19961105T090000",
            rule: "FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8", limit: 3)
            == days(1996, 11, [5]) + days(2000, 11, [7]) + days(2004, 11, [2]))
    }

    @Test func thirdOfTuesdayWednesdayThursdayFor3Months() {
        #expect(expandedStarts(dtstart: "19970904T090000", rule: "FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3")
            == days(1997, 9, [4]) + days(1997, 10, [7]) + days(1997, 11, [6]))
    }

    @Test func secondToLastWeekdayOfTheMonth() {
        let expected = days(1997, 9, [29]) + days(1997, 10, [30]) + days(1997, 11, [27]) + days(1997, 12, [30])
            + days(1998, 1, [29]) + days(1998, 2, [26]) + days(1998, 3, [30])
        #expect(expandedStarts(dtstart: "19970929T090000", rule: "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2", limit: expected.count) == expected)
    }

    @Test func every3HoursFrom9To5() {
        // The RFC writes UNTIL=19970902T170000Z but means 5:00 PM New York (errata): with
        // 21:00Z the RFC's three instances come out; with the literal 17:00Z (13:00 EDT) the
        // inclusive UNTIL stops after 12:00.
        #expect(expandedStarts(dtstart: "19970902T090000", rule: "FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T210000Z")
            == days(1997, 9, [2], "09:00") + days(1997, 9, [2], "12:00") + days(1997, 9, [2], "15:00"))
        #expect(expandedStarts(dtstart: "19970902T090000", rule: "FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T170000Z")
            == days(1997, 9, [2], "09:00") + days(1997, 9, [2], "12:00"))
    }

    @Test func every15MinutesFor6() {
        #expect(expandedStarts(dtstart: "19970902T090000", rule: "FREQ=MINUTELY;INTERVAL=15;COUNT=6")
            == ["09:00", "09:15", "09:30", "09:45", "10:00", "10:15"].flatMap { days(1997, 9, [2], $0) })
    }

    @Test func everyHourAndAHalfFor4() {
        #expect(expandedStarts(dtstart: "19970902T090000", rule: "FREQ=MINUTELY;INTERVAL=90;COUNT=4")
            == ["09:00", "10:30", "12:00", "13:30"].flatMap { days(1997, 9, [2], $0) })
    }

    @Test func every20MinutesFrom9To1640() {
        var expected: [String] = []
        for day in [2, 3] {
            for hour in 9...16 {
                for minute in [0, 20, 40] { expected += days(1997, 9, [day], String(format: "%02d:%02d", hour, minute)) }
            }
        }
        let daily = expandedStarts(dtstart: "19970902T090000", rule: "FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,20,40", limit: expected.count)
        let minutely = expandedStarts(dtstart: "19970902T090000", rule: "FREQ=MINUTELY;INTERVAL=20;BYHOUR=9,10,11,12,13,14,15,16", limit: expected.count)
        #expect(daily == expected)
        #expect(minutely == expected)
    }

    @Test func weekStartChangesTheResult() {
        #expect(expandedStarts(dtstart: "19970805T090000", rule: "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO")
            == days(1997, 8, [5, 10, 19, 24]))
        #expect(expandedStarts(dtstart: "19970805T090000", rule: "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU")
            == days(1997, 8, [5, 17, 19, 31]))
    }

    @Test func invalidDatesAreSkippedNotMoved() {
        #expect(expandedStarts(dtstart: "20070115T090000", rule: "FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5")
            == days(2007, 1, [15, 30]) + days(2007, 2, [15]) + days(2007, 3, [15, 30]))
    }
}
