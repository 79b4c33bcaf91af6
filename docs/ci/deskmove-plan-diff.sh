#!/usr/bin/env bash
# The dry-run diff a pull request gets (README "Dry-run diff in CI"): replay the committed recording of the
# vendor export into a throwaway FreeScout stand-in on the CI's database service, plan, and fail (exit 6, the
# diff printed) when the plan report differs from the reviewed one. No vendor credentials, no network.
#
#   FREESCOUT_DB_URL   an EMPTY database on the CI's MariaDB/PostgreSQL service (required)
#   SOURCE             the recorded source (default helpscout)
#   RECORDING          the recording folder (default recordings/$SOURCE)
#   EXPECTED           the reviewed report (default golden/$SOURCE-freescout.md)
#   DESKMOVE_CONFIG    the mapping under review (default ./deskmove.json)
#   DESKMOVE           how to run deskmove (default: deskmove on the PATH)
#   WORK_DIR           scratch folder; plan.md is left there for the job's artifacts (default .deskmove-ci)
# To accept an intended change: run it with DESKMOVE_UPDATE_GOLDEN=1 and commit $EXPECTED.
set -euo pipefail
: "${FREESCOUT_DB_URL:?set FREESCOUT_DB_URL to an empty database on the CI database service}"
source_id="${SOURCE:-helpscout}"
recording="${RECORDING:-recordings/$source_id}"
expected="${EXPECTED:-golden/$source_id-freescout.md}"
work="${WORK_DIR:-.deskmove-ci}"
read -r -a deskmove <<< "${DESKMOVE:-deskmove}"
mkdir -p "$work"

# FreeScout's tables, an admin and two mailboxes; exports FREESCOUT_DB_URL and FREESCOUT_STORAGE_DIR.
"${deskmove[@]}" simulate freescout --db-url "$FREESCOUT_DB_URL" --storage "$work/storage" --save-env "$work/freescout.env" > /dev/null
# shellcheck disable=SC1091
. "$work/freescout.env"
"${deskmove[@]}" --db "$work/staging.db" --quiet extract "$source_id" --replay "$recording"
"${deskmove[@]}" --db "$work/staging.db" plan freescout --report "$work/plan.md" --expect-report "$expected"
