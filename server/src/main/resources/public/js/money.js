/**
 * Amounts in the business currency, written one way on every page: the peso sign, thousands
 * grouped, two decimals ("₱1,234.50"). The API sends amounts as plain decimals (docs/API.md).
 */
const SYMBOL = '₱';

/** "₱1,234.50"; '' when there is no amount. */
export function money(v) {
  if (v == null || v === '') return '';
  const n = Number(v);
  if (!Number.isFinite(n)) return '';
  const [whole, cents] = Math.abs(n).toFixed(2).split('.');
  return `${n < 0 ? '-' : ''}${SYMBOL}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}

/** The plain decimal an amount field starts with ("800.00"): what the server accepts back. */
export function amountValue(v) {
  return Number(v || 0).toFixed(2);
}
