import { maskEmail, maskPhone } from '../../src/views/customer-view';

describe('profile masking', () => {
  it('keeps an email recognisable, not harvestable', () => {
    expect(maskEmail('ada.lovelace@example.com')).toBe('a•••@example.com');
    expect(maskEmail('broken')).toBe('•••');
  });

  it('shows the last four digits of a phone number', () => {
    expect(maskPhone('+12125550123')).toBe('•••0123');
  });
});
