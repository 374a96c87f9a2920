# Orrery executor shim: one POSIX sh process per task.
#
# Usage (started by the agent's launcher helper, or by the agent itself, detached, with the sandbox as its working
# directory):
#   /bin/sh executor.sh PROGRAM [ARG...]
# PROGRAM ARG... is the command argv, already prefixed by any isolator wrapper.
#
# Contract with the agent (core/agent/executor-launcher.ts):
# - the shim leads its own session and process group, so the agent can signal the whole task at once;
# - the command's stdout/stderr go to ./stdout and ./stderr;
# - TERM and INT are forwarded to the command. A background command of a non-interactive sh starts with
#   INT and QUIT ignored (POSIX), so a forwarded INT only reaches commands that install their own handler;
#   the agent itself kills with TERM, then KILL to the group;
# - once the command is gone, its exit status (128+N when killed by signal N) is written to ./exit_status in a
#   single write (read it only after the shim is gone; empty means none), then the shim exits with that status.
#   A shim killed by SIGKILL writes nothing: the agent then relies on the exit signal it observes (or, after a
#   restart, on the missing file).

# Isolation the shim applies to itself before the command exists (joining the task's cgroups, rlimits), so the
# command inherits it and never runs outside: ORRERY_EXECUTOR_SETUP holds the isolators' sh commands joined by &&
# (core/agent/isolator.ts `setup`). If any fails the command is not started: the reason goes to ./stderr, status 125.
if [ -n "${ORRERY_EXECUTOR_SETUP:-}" ]; then
  if ! eval "$ORRERY_EXECUTOR_SETUP" 2>>stderr; then
    echo "orrery executor: isolation setup failed; the command was not started" >>stderr
    printf '125\n' >exit_status
    exit 125
  fi
fi
unset ORRERY_EXECUTOR_SETUP

# Fork the command BEFORE installing the traps: a forked sh inherits trap handlers until it resets them, and a
# signal landing in that window would be swallowed by the child. Forked first, the child keeps the default
# disposition, so a group-wide TERM always reaches it. A TERM before the trap below kills the shim itself
# (default action); the agent then sees the shim die of SIGTERM, and the command got the same group signal.
"$@" >stdout 2>stderr </dev/null &
child=$!
trap 'kill -TERM "$child" 2>/dev/null' TERM
trap 'kill -INT "$child" 2>/dev/null' INT

# `wait` returns early (128+N) when a trapped signal arrives: keep waiting while the child still exists
# (a zombie counts, so its status is not lost). The final `wait` returns the status dash keeps for the job,
# which also covers a child reaped before the loop ran; 127 means the status was already taken above.
status=0
while kill -0 "$child" 2>/dev/null; do
  wait "$child"
  status=$?
done
wait "$child" 2>/dev/null
last=$?
[ "$last" -ne 127 ] && status=$last

# One write(2) of a few bytes, no tmp file + mv: the agent reads exit_status only once the shim is gone, and a
# shim killed between creating the file and writing it leaves it empty, which reads as "no exit status" — the
# same as a missing file. Skipping mv saves a fork+exec per task (about a quarter of the launch rate here).
printf '%s\n' "$status" >exit_status
exit "$status"
