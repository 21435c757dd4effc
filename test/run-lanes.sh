#!/usr/bin/env bash
# `npm test`: the type-check, Biome's check (format and lint), then both jest lanes (unit, then integration),
# each under a time limit that names what hung (.ci/lane). The integration lane runs even when the unit lane failed, so one run reports every
# failure; the exit status is non-zero if anything failed. Each step leaves .test-results/<name>-summary.json.
# TEST_TAG prefixes those names (CI runs this once per Node version); CI_DEADLINE (epoch seconds) bounds the
# whole run (default: 40 minutes from now).
set -uo pipefail
cd "$(dirname "$0")/.."
tag=${TEST_TAG:+${TEST_TAG}-}
deadline=${CI_DEADLINE:-$(( $(date +%s) + 2400 ))}
mkdir -p .test-results
rc=0

if npx tsc -p tsconfig.json --noEmit; then typecheck='{"passed":1,"failed":0,"skipped":0,"seconds":0}'
else echo "type-check failed"; typecheck='{"passed":0,"failed":1,"skipped":0,"seconds":0}'; rc=1; fi
echo "$typecheck" > ".test-results/${tag}typecheck-summary.json"

# Biome owns the style: a format diff, a lint error or a lint warning fails the run (biome.jsonc).
if npx biome ci --error-on-warnings .; then lint='{"passed":1,"failed":0,"skipped":0,"seconds":0}'
else echo "lint failed: npm run lint:fix applies the safe fixes and the formatting"; lint='{"passed":0,"failed":1,"skipped":0,"seconds":0}'; rc=1; fi
echo "$lint" > ".test-results/${tag}lint-summary.json"

for lane in unit integration; do
  left=$(( deadline - $(date +%s) ))
  if [ "$left" -le 0 ]; then
    echo "${tag}${lane}: not run: the time limit was reached"
    echo '{"passed":0,"failed":1,"skipped":0,"seconds":0,"timedOut":true}' > ".test-results/${tag}${lane}-summary.json"
    rc=1
    continue
  fi
  .ci/lane "${tag}${lane}" "$left" node --selectProjects "$lane" || rc=1
done
# The unit lane's budget is seconds; say so when it grows (a machine under load is slower too).
node -e 'const s = require(process.argv[1]); if (s.seconds > 15) console.log(`note: the unit lane took ${s.seconds} s (goal: under 15 s)`)' "./.test-results/${tag}unit-summary.json"
exit $rc
