// The Znuny GenericTicketConnectorREST simulator.
export { startZnunySim, type ZnunySim, type ZnunySimEnv, type ZnunySimManifest, type ZnunySimOptions } from './server.js'
export { znunySimulator } from './definition.js'
export { PROVENANCE_FIELD, TRAP_QUEUE, WATCHING_AGENT, ADMIN_LOGIN } from './catalog.js'
export { ZNUNY_VERSIONS, takesArticleArrays, type ZnunyVersion } from './ticket-create.js'
export { WEBSERVICE } from './router.js'
