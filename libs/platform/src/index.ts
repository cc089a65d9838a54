export { maskLastFour } from './pii/mask';
