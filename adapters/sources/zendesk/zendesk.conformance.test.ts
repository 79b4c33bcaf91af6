import { describeSourceConformance } from '../../../src/testing/source-conformance.js'
import { zendeskSource } from './index.js'

describeSourceConformance(zendeskSource, {
  scenarios: 'fixtures/http/zendesk',
  origin: 'https://zendesk.fixture.invalid',
  config: { baseUrl: 'https://zendesk.fixture.invalid/api/v2', email: 'fixture@acme.example', attachmentHosts: 'zendesk.fixture.invalid' },
})
