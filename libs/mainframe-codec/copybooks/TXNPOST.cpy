      *================================================================*
      * TXNPOST  POST A TRANSACTION: A CREDIT OR A DEBIT OF A POSITIVE *
      *          AMOUNT. REFUSALS, RC 8: 0802 UNKNOWN ACCOUNT, 0811    *
      *          CLOSED, 0812 FROZEN (DEBITS), 0814 INSUFFICIENT       *
      *          FUNDS, 0815 CURRENCY MISMATCH, 0816 BALANCE LIMIT.    *
      *          AN UPDATE: REFUSED IN THE BATCH WINDOW (RC 8, 0821).  *
      *          THE CORE KEEPS NO IDEMPOTENCY KEYS: A REQUEST SENT    *
      *          TWICE POSTS TWICE.                                    *
      *================================================================*
       01  POST-TRANSACTION-REQUEST.
           05  TXN-ACCT-ID             PIC 9(10).
           05  TXN-DIRECTION           PIC X(1).
               88  TXN-CREDIT                  VALUE 'C'.
               88  TXN-DEBIT                   VALUE 'D'.
      *    MINOR UNITS (CENTS), ABOVE ZERO.
           05  TXN-AMOUNT              PIC S9(15)V99 COMP-3.
           05  TXN-CURRENCY            PIC X(3).
           05  TXN-DESCRIPTION         PIC X(140).
      *    THE CALLER'S OWN REFERENCE; SPACES FOR NONE.
           05  TXN-REFERENCE           PIC X(64).
      *
       01  POST-TRANSACTION-RESPONSE.
      *    POSTING NUMBER: A LATER POSTING HAS A HIGHER ONE.
           05  TXN-ID                  PIC 9(15).
           05  TXN-ACCT-ID             PIC 9(10).
           05  TXN-DIRECTION           PIC X(1).
               88  TXN-CREDIT                  VALUE 'C'.
               88  TXN-DEBIT                   VALUE 'D'.
           05  TXN-AMOUNT              PIC S9(15)V99 COMP-3.
           05  TXN-CURRENCY            PIC X(3).
           05  TXN-DESCRIPTION         PIC X(140).
           05  TXN-REFERENCE           PIC X(64).
      *    THE LEDGER BALANCE RIGHT AFTER THIS POSTING.
           05  TXN-BALANCE-AFTER       PIC S9(15)V99 COMP-3.
      *    YYYY-MM-DD-HH.MM.SS.NNNNNN (UTC).
           05  TXN-POSTED-TS           PIC X(26).
