import { describeSourceConformance } from '../../../src/testing/source-conformance.js'
import { helpscoutSource } from './index.js'

describeSourceConformance(helpscoutSource, {
  scenarios: 'fixtures/http/helpscout',
  origin: 'https://helpscout.fixture.invalid',
  config: { appId: 'fixture-app-id', appSecret: 'replaced-by-a-canary', baseUrl: 'https://helpscout.fixture.invalid/v2' },
})
