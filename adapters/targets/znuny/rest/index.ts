// The Znuny GenericTicketConnectorREST client (what zn-ops's verify and rollback build on).
export { ZnunyRest, type ZnunyRestOptions, type ZnOperation, type TicketGetOptions } from './client.js'
export { ZnunyApiError, AmbiguousReplyError, isGarbledReply } from './errors.js'
export { findByProvenance, probeProvenanceFilter, ticketDynamicFieldNames, dynamicFieldFilter, dynamicFieldOperator, MAX_PLAUSIBLE_HITS } from './find.js'
export { dynamicFieldValue, type ZnTicket, type ZnArticle, type ZnAttachment, type ZnHistory, type CreateAnswer, type UpdateAnswer } from './schemas.js'
