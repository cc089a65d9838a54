      *================================================================*
      * ACCTOPN  ACCOUNT OPEN: A NEW DEPOSIT ACCOUNT FOR A CUSTOMER,   *
      *          ACTIVE, AT A ZERO BALANCE, WITH A NEW ACCOUNT KEY AND *
      *          ACCOUNT NUMBER. UNKNOWN CUSTOMER: RC 8 REASON 0801.   *
      *          AN UPDATE: REFUSED IN THE BATCH WINDOW (RC 8, 0821).  *
      *================================================================*
       01  ACCOUNT-OPEN-REQUEST.
           05  ACCT-CUST-ID            PIC 9(10).
           05  ACCT-PRODUCT            PIC X(3).
               88  ACCT-CHECKING               VALUE 'CHK'.
               88  ACCT-SAVINGS                VALUE 'SAV'.
           05  ACCT-CURRENCY           PIC X(3).
      *
      * THE ACCOUNT AS OPENED: THE LAYOUT OF AN ACCTINQ ROW.
       01  ACCOUNT-OPEN-RESPONSE.
           05  ACCT-ID                 PIC 9(10).
           05  ACCT-CUST-ID            PIC 9(10).
           05  ACCT-NUMBER             PIC 9(11).
           05  ACCT-PRODUCT            PIC X(3).
               88  ACCT-CHECKING               VALUE 'CHK'.
               88  ACCT-SAVINGS                VALUE 'SAV'.
           05  ACCT-CURRENCY           PIC X(3).
           05  ACCT-STATUS             PIC X(1).
               88  ACCT-ACTIVE                 VALUE 'A'.
               88  ACCT-FROZEN                 VALUE 'F'.
               88  ACCT-CLOSED                 VALUE 'C'.
           05  ACCT-OPENED-TS          PIC X(26).
           05  ACCT-STATUS-TS          PIC X(26).
