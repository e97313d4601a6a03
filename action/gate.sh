#!/usr/bin/env bash
# The export-control gate that the composite action (action.yml) runs, in one
# file so that tests/ci_integrations.rs runs exactly this. Inputs arrive as
# INPUT_* variables; GitHub sets GITHUB_STEP_SUMMARY and GITHUB_OUTPUT.
#
#   INPUT_SPECS         spec sheets: space-separated paths or globs (`specs/**/*.toml`);
#                       empty: the `specs` globs of chipcheck.toml
#   INPUT_CATALOGUE     a catalogue to audit instead (CSV)
#   INPUT_DESTINATIONS  --to (`CN,SA,DE`); empty: chipcheck.toml's, else every destination
#   INPUT_DATE          --date; empty: chipcheck.toml's, else today (UTC)
#   INPUT_FAIL_ON       --fail-on (`none` reports without failing)
#   INPUT_SARIF         where the SARIF file goes (default chipcheck.sarif)
#   INPUT_HTML          also write the HTML report here (optional)
set -uo pipefail
shopt -s globstar nullglob

chipcheck=${CHIPCHECK:-chipcheck}
sarif=${INPUT_SARIF:-chipcheck.sarif}

if [ -n "${INPUT_CATALOGUE:-}" ]; then
  command=(audit "$INPUT_CATALOGUE")
else
  # Unquoted on purpose: the shell splits the list, then expands each glob.
  # Each pattern must match a file: a misspelt one beside one that matches
  # would leave its spec sheets unread while the step passed.
  specs=()
  set -f
  # shellcheck disable=SC2206
  patterns=(${INPUT_SPECS:-})
  set +f
  for pattern in "${patterns[@]}"; do
    # shellcheck disable=SC2206
    matched=($pattern)
    if [ ${#matched[@]} -eq 0 ]; then
      echo "::error::chipcheck: specs \`${pattern}\` match no file"
      echo "exit-code=2" >> "${GITHUB_OUTPUT:-/dev/null}"
      exit 2
    fi
    specs+=("${matched[@]}")
  done
  command=(classify "${specs[@]}")
fi

args=(--output github --output "sarif=$sarif")
[ -n "${INPUT_DESTINATIONS:-}" ] && args+=(--to "$INPUT_DESTINATIONS")
[ -n "${INPUT_DATE:-}" ] && args+=(--date "$INPUT_DATE")
[ -n "${INPUT_FAIL_ON:-}" ] && args+=(--fail-on "$INPUT_FAIL_ON")
[ -n "${INPUT_HTML:-}" ] && args+=(--output "html=$INPUT_HTML")
# The step summary is a file of this step's own; chipcheck replaces it whole.
[ -n "${GITHUB_STEP_SUMMARY:-}" ] && args+=(--output "markdown=$GITHUB_STEP_SUMMARY")

"$chipcheck" "${command[@]}" "${args[@]}"
status=$?
echo "exit-code=$status" >> "${GITHUB_OUTPUT:-/dev/null}"
exit "$status"
