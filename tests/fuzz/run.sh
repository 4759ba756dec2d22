#!/usr/bin/env bash
# Runs libFuzzer harnesses for a bounded time each (called by `make fuzz`).
# Usage: tests/fuzz/run.sh BUILD_DIR SECONDS HARNESS...
# Each harness BUILD_DIR/fuzz_NAME starts from a scratch copy of
# tests/fuzz/corpus/NAME and tests/fuzz/regressions/NAME in
# BUILD_DIR/run/NAME/corpus, so the run never writes into the repository.
# A crash, leak, timeout or out-of-memory leaves its reproducer in
# BUILD_DIR/run/NAME/ and fails the run; the other harnesses still run.
set -u
cd "$(dirname "$0")/../.."
build=$1 seconds=$2
shift 2

# The longest input libFuzzer makes for each harness: front matter and
# templates are short; a page needs room for front matter plus a body.
declare -A max_len=([frontmatter]=4096 [tmpl]=4096 [page]=16384 [rawhtml]=8192)
# Seconds one input may take before it counts as a hang (with the
# sanitizers on, and far above what any real input needs).
timeout=10

failed=()
for name in "$@"; do
	run=$build/run/$name
	rm -rf "$run"
	mkdir -p "$run/corpus"
	cp tests/fuzz/corpus/"$name"/* "$run/corpus/"
	if [ -d tests/fuzz/regressions/"$name" ]; then
		find tests/fuzz/regressions/"$name" -maxdepth 1 -type f ! -name '.*' \
			-exec cp {} "$run/corpus/" \;
	fi
	dict=()
	[ -f tests/fuzz/"$name".dict ] && dict=(-dict=tests/fuzz/"$name".dict)
	echo "fuzz_$name: ${seconds}s, $(ls "$run/corpus" | wc -l) seed inputs"
	"$build/fuzz_$name" "$run/corpus" "${dict[@]}" \
		-max_total_time="$seconds" -max_len="${max_len[$name]:-4096}" \
		-timeout="$timeout" -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$run/" >"$run/log" 2>&1
	status=$?
	# The last status line ("#N DONE cov: C ft: F corp: ...") and the
	# final statistics.
	grep -E '^#[0-9]+[[:space:]]+DONE' "$run/log" | tail -n 1
	grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$run/log"
	if [ "$status" != 0 ]; then
		failed+=("$name")
		echo "FAIL fuzz_$name (exit status $status); the report:"
		grep -E -A 30 '^==[0-9]+==|fuzz invariant broken|^SUMMARY|ALARM' "$run/log" | head -n 60
		echo "reproducer: $(ls -d "$run"/crash-* "$run"/leak-* "$run"/timeout-* "$run"/oom-* 2>/dev/null | tr '\n' ' ')"
		echo "replay it: $build/fuzz_$name FILE"
	fi
	echo "full log: $run/log"
done
if [ ${#failed[@]} -gt 0 ]; then
	echo "fuzzing found problems in: ${failed[*]}"
	exit 1
fi
echo "fuzzing found nothing in ${seconds}s per harness"
