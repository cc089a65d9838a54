import { applicationFrom } from '../../src/onboarding/application-form';
import { signUpForm } from '../helper';

describe('the sign-up form as a Process API application', () => {
  it('maps every field of the form to the application, amounts in USD cents', () => {
    const form = signUpForm({ ssn: '234-56-7890', accountNumber: '123456789', deposit: 5000 });
    expect(applicationFrom({ ...form, firstName: ' Ada ', lastName: 'Lovelace ' })).toEqual({
      applicant: {
        legalName: 'Ada Lovelace',
        dateOfBirth: '1990-04-01',
        ssn: '234-56-7890',
        email: 'ada@example.com',
        phone: '+12125550123',
        address: { line1: '1 Main St', line2: 'Apt 4', city: 'New York', state: 'NY', postalCode: '10001' },
      },
      product: { productType: 'checking', planCode: 'premium-checking' },
      fundingAccount: { routingNumber: '011000015', accountNumber: '123456789', accountType: 'checking' },
      openingDeposit: { amountMinor: 5000, currency: 'USD' },
    });
  });

  it('leaves out what the applicant left out', () => {
    const form = signUpForm({ deposit: null });
    delete form.address.unit;
    const application = applicationFrom(form);
    expect(application.applicant.address).not.toHaveProperty('line2');
    expect(application).not.toHaveProperty('openingDeposit');
  });
});
