# Indonesian dates as people write them: "23 November 2026, 09.00" (Django's default is
# "23 Nov. 2026, 9.00": an English-style abbreviation dot and an unpadded hour).
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H.i"
TIME_FORMAT = "H.i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATE_FORMAT = "d-m-Y"
SHORT_DATETIME_FORMAT = "d-m-Y H.i"
