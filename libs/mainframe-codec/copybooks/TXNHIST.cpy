      *================================================================*
      * TXNHIST  TRANSACTION HISTORY OF AN ACCOUNT, NEWEST FIRST, UP   *
      *          TO 20 ROWS A PAGE, OPTIONALLY ONLY POSTINGS ON DAYS   *
      *          (UTC) FROM..TO. UNKNOWN ACCOUNT: RC 8 REASON 0802.    *
      *          A CONTINUE KEY THIS LISTING DID NOT GIVE: RC 12,      *
      *          REASON 1204.                                          *
      *================================================================*
       01  TRANSACTION-HISTORY-REQUEST.
           05  HIST-ACCT-ID            PIC 9(10).
      *    YYYYMMDD, BOTH INCLUSIVE; ZERO FOR NO BOUND.
           05  HIST-FROM-DATE          PIC 9(8).
           05  HIST-TO-DATE            PIC 9(8).
      *    ROWS WANTED: 1 TO 20.
           05  HIST-MAX-ROWS           PIC 9(2).
      *    ZERO FOR THE NEWEST ROWS, ELSE HIST-CONTINUE-KEY OF THE
      *    PREVIOUS PAGE: ROWS OLDER THAN THAT PAGE.
           05  HIST-CONTINUE-KEY       PIC 9(15).
      *
       01  TRANSACTION-HISTORY-RESPONSE.
      *    ROWS FILLED, FROM THE FIRST; THE REST ARE SPACES AND ZEROS.
           05  HIST-ROW-COUNT          PIC 9(2).
           05  HIST-MORE-FLAG          PIC X(1).
               88  HIST-MORE-ROWS              VALUE 'Y'.
               88  HIST-NO-MORE-ROWS           VALUE 'N'.
      *    WHEN MORE ROWS FOLLOW: WHERE THE NEXT PAGE STARTS.
           05  HIST-CONTINUE-KEY       PIC 9(15).
           05  HIST-ROW                OCCURS 20 TIMES.
               10  HIST-TXN-ID         PIC 9(15).
               10  HIST-DIRECTION      PIC X(1).
                   88  HIST-CREDIT             VALUE 'C'.
                   88  HIST-DEBIT              VALUE 'D'.
               10  HIST-AMOUNT         PIC S9(15)V99 COMP-3.
               10  HIST-CURRENCY       PIC X(3).
               10  HIST-DESCRIPTION    PIC X(140).
               10  HIST-REFERENCE      PIC X(64).
               10  HIST-BALANCE-AFTER  PIC S9(15)V99 COMP-3.
               10  HIST-POSTED-TS      PIC X(26).
