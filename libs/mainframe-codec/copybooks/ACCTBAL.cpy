      *================================================================*
      * ACCTBAL  BALANCE INQUIRY. LEDGER: THE SUM OF POSTINGS.         *
      *          AVAILABLE: WHAT MAY BE WITHDRAWN NOW (THE LEDGER      *
      *          BALANCE WHILE ACTIVE, ZERO WHEN FROZEN OR CLOSED).    *
      *          AMOUNTS IN MINOR UNITS (CENTS) OF BAL-CURRENCY.       *
      *          UNKNOWN ACCOUNT: RC 8 REASON 0802.                    *
      *================================================================*
       01  BALANCE-INQUIRY-REQUEST.
           05  BAL-ACCT-ID             PIC 9(10).
      *
       01  BALANCE-INQUIRY-RESPONSE.
           05  BAL-ACCT-ID             PIC 9(10).
           05  BAL-CURRENCY            PIC X(3).
           05  BAL-LEDGER              PIC S9(15)V99 COMP-3.
           05  BAL-AVAILABLE           PIC S9(15)V99 COMP-3.
      *    YYYY-MM-DD-HH.MM.SS.NNNNNN (UTC).
           05  BAL-AS-OF-TS            PIC X(26).
