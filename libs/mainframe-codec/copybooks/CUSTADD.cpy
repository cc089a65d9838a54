      *================================================================*
      * CUSTADD  CUSTOMER ADD: A NEW CUSTOMER, GIVEN A NEW CUSTOMER    *
      *          NUMBER BY THE CORE. ONE CUSTOMER PER TAX ID: ANOTHER  *
      *          WITH THE SAME TAX ID IS RC 8 REASON 0803, NO BODY.    *
      *          AN UPDATE: REFUSED IN THE BATCH WINDOW (RC 8, 0821).  *
      *================================================================*
       01  CUSTOMER-ADD-REQUEST.
           05  CUST-LEGAL-NAME         PIC X(200).
      *    YYYYMMDD.
           05  CUST-BIRTH-DATE         PIC 9(8).
           05  CUST-TAX-ID             PIC 9(9).
           05  CUST-EMAIL              PIC X(254).
           05  CUST-PHONE              PIC X(16).
           05  CUST-ADDRESS.
               10  CUST-ADDR-LINE-1    PIC X(100).
               10  CUST-ADDR-LINE-2    PIC X(100).
               10  CUST-CITY           PIC X(60).
               10  CUST-STATE          PIC X(2).
               10  CUST-POSTAL-CODE    PIC X(10).
      *
      * THE CUSTOMER AS STORED: THE SAME LAYOUT AS CUSTINQ'S RESPONSE.
       01  CUSTOMER-ADD-RESPONSE.
           05  CUST-ID                 PIC 9(10).
           05  CUST-LEGAL-NAME         PIC X(200).
           05  CUST-BIRTH-DATE         PIC 9(8).
           05  CUST-TAX-ID             PIC 9(9).
           05  CUST-EMAIL              PIC X(254).
           05  CUST-PHONE              PIC X(16).
           05  CUST-ADDRESS.
               10  CUST-ADDR-LINE-1    PIC X(100).
               10  CUST-ADDR-LINE-2    PIC X(100).
               10  CUST-CITY           PIC X(60).
               10  CUST-STATE          PIC X(2).
               10  CUST-POSTAL-CODE    PIC X(10).
           05  CUST-CREATED-TS         PIC X(26).
