/** Shows only the last four characters of a secret value, e.g. an SSN or a bank account number. */
export function maskLastFour(value: string): string {
  const digits = value.replace(/\D/g, '');
  return `•••${digits.slice(-4)}`;
}
