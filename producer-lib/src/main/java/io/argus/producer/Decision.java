package io.argus.producer;

/**
 * Whether a failed job gets another attempt (fold rules 11 to 13, answered by the query service).
 *
 * @param verdict       RESTART or STOP
 * @param reason        why, in words an operator can act on
 * @param defaulted     true when nobody decided within the wait and this is the safe default, RESTART
 * @param attempt       the attempt that failed
 * @param restartBudget attempts allowed in all: max_restarts + 1
 */
public record Decision(Verdict verdict, String reason, boolean defaulted, int attempt, int restartBudget) {

    public enum Verdict { RESTART, STOP }

    public boolean restart() {
        return verdict == Verdict.RESTART;
    }
}
