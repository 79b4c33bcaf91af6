// The limiter is the simulator kit's; re-exported for the Help Scout simulator's tests and callers.
export { SlidingWindowLimiter, type RateDecision } from '../../../../src/kits/simulator/rate-limit.js'
