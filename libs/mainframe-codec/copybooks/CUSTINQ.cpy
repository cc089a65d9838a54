      *================================================================*
      * CUSTINQ  CUSTOMER INQUIRY: ONE CUSTOMER, BY CUSTOMER NUMBER    *
      *          OR BY TAX ID (SSN, NINE DIGITS).                      *
      *          NOT FOUND: RC 8 REASON 0801, NO BODY.                 *
      *================================================================*
       01  CUSTOMER-INQUIRY-REQUEST.
           05  INQ-SEARCH-BY           PIC X(1).
               88  INQ-BY-CUSTOMER-ID          VALUE 'C'.
               88  INQ-BY-TAX-ID               VALUE 'T'.
      *    THE KEY NOT SEARCHED BY IS ZERO.
           05  INQ-CUST-ID             PIC 9(10).
           05  INQ-TAX-ID              PIC 9(9).
      *
       01  CUSTOMER-INQUIRY-RESPONSE.
           05  CUST-ID                 PIC 9(10).
           05  CUST-LEGAL-NAME         PIC X(200).
      *    YYYYMMDD.
           05  CUST-BIRTH-DATE         PIC 9(8).
           05  CUST-TAX-ID             PIC 9(9).
           05  CUST-EMAIL              PIC X(254).
      *    E.164: + AND UP TO 15 DIGITS.
           05  CUST-PHONE              PIC X(16).
           05  CUST-ADDRESS.
               10  CUST-ADDR-LINE-1    PIC X(100).
      *        SPACES WHEN THE ADDRESS HAS ONE LINE.
               10  CUST-ADDR-LINE-2    PIC X(100).
               10  CUST-CITY           PIC X(60).
               10  CUST-STATE          PIC X(2).
               10  CUST-POSTAL-CODE    PIC X(10).
      *    YYYY-MM-DD-HH.MM.SS.NNNNNN (UTC).
           05  CUST-CREATED-TS         PIC X(26).
