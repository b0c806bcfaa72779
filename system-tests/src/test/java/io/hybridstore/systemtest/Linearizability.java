package io.hybridstore.systemtest;

import io.hybridstore.systemtest.RegisterModel.Operation;
import io.hybridstore.systemtest.RegisterModel.State;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether one key's history is linearizable against {@link RegisterModel}: the Wing–Gong search with the
 * (linearized set, state) cache of Lowe and Porcupine. Keys are independent registers, so each key is checked on
 * its own (P-compositionality). The search walks the history's call and return events in time order; at a call it
 * tries to let that operation take effect now, at a return whose operation has not taken effect it backtracks. An
 * operation with an unknown outcome has no return, so it may take effect at any point after its call, or never.
 * The search is bounded: a history that needs more steps is reported as not checked rather than passed.
 */
final class Linearizability {

    enum Verdict { LINEARIZABLE, NOT_LINEARIZABLE, TOO_LARGE }

    record Result(Verdict verdict, int operations, long steps) {
    }

    private final long maxSteps;

    Linearizability(long maxSteps) {
        this.maxSteps = maxSteps;
    }

    Result check(List<Operation> history) {
        // A read without an answer says nothing about the key.
        List<Operation> ops = history.stream().filter(op -> !(op.indeterminate() && op.kind() == RegisterModel.Kind.READ)).toList();
        int n = ops.size();
        List<Event> events = new ArrayList<>();
        int definite = 0;
        for (int i = 0; i < n; i++) {
            events.add(new Event(i, true, ops.get(i).invoked()));
            if (!ops.get(i).indeterminate()) {
                events.add(new Event(i, false, ops.get(i).completed()));
                definite++;
            }
        }
        // At equal times calls come first: two operations that touch at an instant may be ordered either way.
        events.sort(Comparator.comparingLong(Event::time).thenComparing(e -> !e.call()));
        int size = events.size();
        int[] next = new int[size + 1];
        int[] prev = new int[size + 1];
        int[] returnOf = new int[n];
        java.util.Arrays.fill(returnOf, -1);
        // Index size is the list's head sentinel.
        for (int i = 0; i < size; i++) {
            next[i] = i + 1 < size ? i + 1 : size;
            prev[i] = i == 0 ? size : i - 1;
            if (!events.get(i).call()) {
                returnOf[events.get(i).op()] = i;
            }
        }
        next[size] = size == 0 ? size : 0;
        prev[size] = size == 0 ? size : size - 1;

        Set<Visited> cache = new HashSet<>();
        Deque<Frame> stack = new ArrayDeque<>();
        BitSet linearized = new BitSet(n);
        State state = State.ABSENT;
        int linearizedDefinite = 0;
        long steps = 0;
        int entry = next[size];
        while (linearizedDefinite < definite) {
            if (++steps > maxSteps) {
                return new Result(Verdict.TOO_LARGE, n, steps);
            }
            Event event = events.get(entry);
            if (event.call()) {
                Operation op = ops.get(event.op());
                State after = RegisterModel.step(state, op);
                boolean fresh = false;
                if (after != null) {
                    BitSet with = (BitSet) linearized.clone();
                    with.set(event.op());
                    fresh = cache.add(new Visited(with, after));
                }
                if (fresh) {
                    stack.push(new Frame(entry, state));
                    linearized.set(event.op());
                    if (!op.indeterminate()) {
                        linearizedDefinite++;
                    }
                    state = after;
                    lift(entry, returnOf[event.op()], next, prev);
                    entry = next[size];
                } else {
                    entry = next[entry];
                }
            } else {
                if (stack.isEmpty()) {
                    return new Result(Verdict.NOT_LINEARIZABLE, n, steps);
                }
                Frame top = stack.pop();
                int op = events.get(top.call()).op();
                unlift(top.call(), returnOf[op], next, prev);
                linearized.clear(op);
                if (!ops.get(op).indeterminate()) {
                    linearizedDefinite--;
                }
                state = top.before();
                entry = next[top.call()];
            }
        }
        return new Result(Verdict.LINEARIZABLE, n, steps);
    }

    private record Event(int op, boolean call, long time) {
    }

    private record Frame(int call, State before) {
    }

    private record Visited(BitSet linearized, State state) {
    }

    private static void lift(int call, int ret, int[] next, int[] prev) {
        next[prev[call]] = next[call];
        prev[next[call]] = prev[call];
        if (ret >= 0) {
            next[prev[ret]] = next[ret];
            prev[next[ret]] = prev[ret];
        }
    }

    /** Undoes {@link #lift} in the reverse order, so each entry finds its neighbours where it left them. */
    private static void unlift(int call, int ret, int[] next, int[] prev) {
        if (ret >= 0) {
            next[prev[ret]] = ret;
            prev[next[ret]] = ret;
        }
        next[prev[call]] = call;
        prev[next[call]] = call;
    }
}
