// Read-latency scenario of the original system, for users who have k6 (https://k6.io); the same scenario without
// k6: io.hybridstore.benchmark.k6.K6Scenarios (read table). 30 objects are written, then 10 virtual users GET
// random ones of them.
//
//   for s in replication ec field_hybrid; do k6 run -e STRATEGY=$s benchmark/k6/read_latency.js; done
//
// Settings (-e NAME=value): BASE_URL (http://localhost:8000), STRATEGY (field_hybrid), COLD_SIZE in bytes (10240),
// KEYS (30), VUS (10), DURATION (30s).
import http from 'k6/http';
import { check } from 'k6';

const BASE_URL = __ENV.BASE_URL || 'http://localhost:8000';
const STRATEGY = __ENV.STRATEGY || 'field_hybrid';
const COLD_SIZE = parseInt(__ENV.COLD_SIZE || '10240', 10);
const KEYS = parseInt(__ENV.KEYS || '30', 10);

export const options = {
  vus: parseInt(__ENV.VUS || '10', 10),
  duration: __ENV.DURATION || '30s',
  summaryTrendStats: ['avg', 'p(50)', 'p(95)', 'p(99)', 'max'],
  tags: { strategy: STRATEGY },
};

const WORDS = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt. ';
const DESCRIPTION = WORDS.repeat(Math.ceil(COLD_SIZE / WORDS.length)).substring(0, COLD_SIZE);
const PREFIX = `k6/read/${STRATEGY}/`;

export function setup() {
  for (let id = 0; id < KEYS; id++) {
    const body = JSON.stringify({ like_count: 0, id: id, description: DESCRIPTION });
    const response = http.post(`${BASE_URL}/write?key=${encodeURIComponent(PREFIX + id)}&strategy=${STRATEGY}`, body,
      { headers: { 'Content-Type': 'application/json' } });
    if (response.status !== 200) {
      throw new Error(`pre-write of ${PREFIX}${id}: ${response.status} ${response.body}`);
    }
  }
}

export default function () {
  const id = Math.floor(Math.random() * KEYS);
  const response = http.get(`${BASE_URL}/read/${PREFIX}${id}`, { timeout: '60s' });
  check(response, { 'status is 200': (r) => r.status === 200 });
}

export function teardown() {
  for (let id = 0; id < KEYS; id++) {
    http.del(`${BASE_URL}/delete/${PREFIX}${id}`);
  }
}
