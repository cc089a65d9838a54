      *================================================================*
      * ACCTSTS  ACCOUNT STATUS UPDATE: FREEZE, REACTIVATE OR CLOSE,   *
      *          KEPT IN THE STATUS HISTORY WITH REASON AND CALLER.    *
      *          ALREADY IN THAT STATUS: RC 4 REASON 0401, UNCHANGED.  *
      *          CLOSED ACCOUNT: RC 8 REASON 0811; CLOSING AT A        *
      *          BALANCE OTHER THAN ZERO: RC 8 REASON 0813.            *
      *          AN UPDATE: REFUSED IN THE BATCH WINDOW (RC 8, 0821).  *
      *================================================================*
       01  ACCOUNT-STATUS-UPDATE-REQUEST.
           05  ACCT-ID                 PIC 9(10).
           05  ACCT-NEW-STATUS         PIC X(1).
               88  ACCT-TO-ACTIVE              VALUE 'A'.
               88  ACCT-TO-FROZEN              VALUE 'F'.
               88  ACCT-TO-CLOSED              VALUE 'C'.
           05  STS-REASON              PIC X(500).
      *    WHO ASKED: THE CALLING SERVICE.
           05  STS-CHANGED-BY          PIC X(64).
      *
      * THE ACCOUNT AFTER THE UPDATE: THE LAYOUT OF AN ACCTINQ ROW.
       01  ACCOUNT-STATUS-UPDATE-RESPONSE.
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
