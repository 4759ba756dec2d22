#!/usr/bin/env bash
# The portable build (make PORTABLE=1 check) calls none of Linux's own
# functions: nm lists what the program takes from shared libraries, and
# none of them may be one that macOS or the BSDs lack. The Linux build
# (make check) is checked to call inotify and openat2 through syscall, so
# that a list that stopped finding anything would be noticed.
source "$(dirname "$0")/lib.bash"
LINUX_ONLY='inotify_init inotify_init1 inotify_add_watch inotify_rm_watch syscall renameat2
statx openat2 getrandom pipe2 accept4 dup3 mkostemp mkostemps memrchr strchrnul qsort_r
get_nprocs get_nprocs_conf sched_getaffinity epoll_create epoll_create1 epoll_ctl epoll_wait
eventfd signalfd timerfd_create sendfile copy_file_range splice mremap memfd_create
fallocate posix_fadvise syncfs getdents64 gettid prctl'
command -v nm >/dev/null || { echo "FAIL: nm is missing (Debian's binutils)"; exit 1; }
nm -D --undefined-only "$SAPAN" | awk '{ sub(/@.*/, "", $2); print $2 }' | sort -u >"$WORK/undefined"
check "nm lists what the program calls" grep -qx 'open' "$WORK/undefined"
found=()
for f in $LINUX_ONLY; do
	grep -qx "$f" "$WORK/undefined" && found+=("$f")
done
case ${SAPAN_VARIANT:-native} in
portable)
	check "the portable build calls none of Linux's own functions (found: ${found[*]})" \
		test ${#found[@]} = 0 ;;
*)
	check "the Linux build watches with inotify" grep -qx inotify_init1 "$WORK/undefined"
	check "the Linux build opens with openat2 (through syscall)" grep -qx syscall "$WORK/undefined" ;;
esac
finish
