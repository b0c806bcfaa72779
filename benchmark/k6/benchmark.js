// Update scenario of the original system, for users who have k6 (https://k6.io); the same scenario without k6:
// io.hybridstore.benchmark.k6.K6Scenarios (benchmark/run-all-benchmarks.sh runs it for every strategy and size).
// 10 virtual users POST to a random one of 20 pre-written keys an object whose hot counter (like_count) changes
// and whose large cold description does not: with field_hybrid every such write is a pure hot update.
//
//   for s in replication ec field_hybrid; do for size in 10240 102400 819200; do
//     k6 run -e STRATEGY=$s -e COLD_SIZE=$size benchmark/k6/benchmark.js
//   done; done
//
// Settings (-e NAME=value): BASE_URL (http://localhost:8000), STRATEGY (field_hybrid), COLD_SIZE in bytes (819200),
// KEYS (20), VUS (10), DURATION (30s).
import http from 'k6/http';
import { check } from 'k6';

const BASE_URL = __ENV.BASE_URL || 'http://localhost:8000';
const STRATEGY = __ENV.STRATEGY || 'field_hybrid';
const COLD_SIZE = parseInt(__ENV.COLD_SIZE || '819200', 10);
const KEYS = parseInt(__ENV.KEYS || '20', 10);

export const options = {
  scenarios: {
    updates: {
      executor: 'constant-vus',
      vus: parseInt(__ENV.VUS || '10', 10),
      duration: __ENV.DURATION || '30s',
      startTime: '0s',
    },
  },
  summaryTrendStats: ['avg', 'p(50)', 'p(95)', 'p(99)', 'max'],
  tags: { strategy: STRATEGY, cold_size: String(COLD_SIZE) },
};

const WORDS = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt. ';
const DESCRIPTION = WORDS.repeat(Math.ceil(COLD_SIZE / WORDS.length)).substring(0, COLD_SIZE);
const PREFIX = `k6/update/${STRATEGY}/${COLD_SIZE}/`;
const PARAMS = { headers: { 'Content-Type': 'application/json' }, timeout: '60s' };

function write(id, likes) {
  const body = JSON.stringify({ like_count: likes, id: id, description: DESCRIPTION });
  return http.post(`${BASE_URL}/write?key=${encodeURIComponent(PREFIX + id)}&strategy=${STRATEGY}`, body, PARAMS);
}

export function setup() {
  for (let id = 0; id < KEYS; id++) {
    const response = write(id, 0);
    if (response.status !== 200) {
      throw new Error(`pre-write of ${PREFIX}${id}: ${response.status} ${response.body}`);
    }
  }
}

export default function () {
  const id = Math.floor(Math.random() * KEYS);
  const response = write(id, __VU * 1000000 + __ITER);
  check(response, { 'status is 200': (r) => r.status === 200 });
}

export function teardown() {
  for (let id = 0; id < KEYS; id++) {
    http.del(`${BASE_URL}/delete/${PREFIX}${id}`);
  }
}
