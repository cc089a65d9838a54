      *================================================================*
      * ACCTINQ  ACCOUNT INQUIRY: ONE ACCOUNT BY ACCOUNT KEY, OR THE   *
      *          ACCOUNTS OF A CUSTOMER, OLDEST FIRST, TEN A PAGE.     *
      *          UNKNOWN ACCOUNT: RC 8 REASON 0802; UNKNOWN CUSTOMER:  *
      *          RC 8 REASON 0801; A CUSTOMER WITHOUT ACCOUNTS: RC 0   *
      *          AND A ROW COUNT OF ZERO.                              *
      *================================================================*
       01  ACCOUNT-INQUIRY-REQUEST.
           05  INQ-SEARCH-BY           PIC X(1).
               88  INQ-BY-ACCOUNT-ID           VALUE 'A'.
               88  INQ-BY-CUSTOMER-ID          VALUE 'C'.
      *    THE KEY NOT SEARCHED BY IS ZERO.
           05  INQ-ACCT-ID             PIC 9(10).
           05  INQ-CUST-ID             PIC 9(10).
      *    BY CUSTOMER: ZERO FOR THE FIRST PAGE, ELSE ACCT-CONTINUE-KEY
      *    OF THE PREVIOUS PAGE.
           05  INQ-CONTINUE-KEY        PIC 9(10).
      *
       01  ACCOUNT-INQUIRY-RESPONSE.
      *    ROWS FILLED, FROM THE FIRST; THE REST ARE SPACES AND ZEROS.
           05  ACCT-ROW-COUNT          PIC 9(2).
           05  ACCT-MORE-FLAG          PIC X(1).
               88  ACCT-MORE-ROWS              VALUE 'Y'.
               88  ACCT-NO-MORE-ROWS           VALUE 'N'.
      *    WHEN MORE ROWS FOLLOW: WHERE THE NEXT PAGE STARTS.
           05  ACCT-CONTINUE-KEY       PIC 9(10).
           05  ACCT-ROW                OCCURS 10 TIMES.
               10  ACCT-ID             PIC 9(10).
               10  ACCT-CUST-ID        PIC 9(10).
      *        THE ACCOUNT NUMBER: 11 DIGITS, THE LAST A LUHN CHECK.
               10  ACCT-NUMBER         PIC 9(11).
               10  ACCT-PRODUCT        PIC X(3).
                   88  ACCT-CHECKING           VALUE 'CHK'.
                   88  ACCT-SAVINGS            VALUE 'SAV'.
      *        ISO 4217.
               10  ACCT-CURRENCY       PIC X(3).
               10  ACCT-STATUS         PIC X(1).
                   88  ACCT-ACTIVE             VALUE 'A'.
                   88  ACCT-FROZEN             VALUE 'F'.
                   88  ACCT-CLOSED             VALUE 'C'.
      *        YYYY-MM-DD-HH.MM.SS.NNNNNN (UTC).
               10  ACCT-OPENED-TS      PIC X(26).
               10  ACCT-STATUS-TS      PIC X(26).
