import { faultBody as kitFaultBody, type FaultShape } from '../../../../src/kits/simulator/faults.js'

// Fault decisions are the simulator kit's; only the JSON error body is Help Scout's.
export { pickFault, faultShape, parseFaultSpec, type FaultShape, type FaultRates } from '../../../../src/kits/simulator/faults.js'

/** Help Scout's error body for an injected 5xx. */
export function helpScoutFaultJson(status: number): unknown {
  return { logRef: `sim-fault-${status}`, message: 'Internal server error' }
}

/** Body of an injected server error (HTML as a proxy would send, or Help Scout's JSON). */
export function faultBody(shape: FaultShape): { contentType: string; body: string } {
  return kitFaultBody(shape, helpScoutFaultJson)
}
