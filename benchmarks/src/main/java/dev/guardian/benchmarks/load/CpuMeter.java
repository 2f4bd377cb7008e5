package dev.guardian.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * How busy the machine's cores were over an interval, and which of the three parts of the system under
 * test used them: this JVM (Guardian and the load's clients), PostgreSQL (its postmaster and every
 * child: backends, WAL writer, checkpointer) and Anvil. What is left is everything else on the machine,
 * e.g. other builds. Figures are in cores: 2.0 is the whole of a 2-core machine.
 */
final class CpuMeter {
    private static final Path PROC_STAT = Path.of("/proc/stat");
    private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

    /** Cores in use on average over an interval. */
    record Use(double machine, double jvm, double postgres, double anvil) {
        double rest() {
            return Math.max(0, machine - jvm - postgres - anvil);
        }
    }

    /** Cumulative CPU time at one instant. */
    record Reading(long nanos, long machineBusyTicks, Duration jvm, Duration postgres, Duration anvil) {}

    private final Optional<ProcessHandle> postmaster;

    /** @param postgresBackendPid the pid of any backend of the database under test; its parent is the postmaster */
    CpuMeter(long postgresBackendPid) {
        this.postmaster = ProcessHandle.of(postgresBackendPid).flatMap(ProcessHandle::parent);
    }

    Reading read() {
        Duration anvil = ProcessHandle.current()
                .children()
                .filter(p -> p.info().command().map(c -> c.endsWith("/anvil")).orElse(false))
                .map(CpuMeter::cpu)
                .reduce(Duration.ZERO, Duration::plus);
        Duration postgres = postmaster
                .map(p -> Stream.concat(Stream.of(p), p.descendants())
                        .map(CpuMeter::cpu)
                        .reduce(Duration.ZERO, Duration::plus))
                .orElse(Duration.ZERO);
        return new Reading(System.nanoTime(), machineBusyTicks(), cpu(ProcessHandle.current()), postgres, anvil);
    }

    static Use between(Reading start, Reading end) {
        double seconds = (end.nanos() - start.nanos()) / 1e9;
        if (seconds <= 0) {
            return new Use(0, 0, 0, 0);
        }
        return new Use(
                (end.machineBusyTicks() - start.machineBusyTicks()) / (double) CLOCK_TICKS_PER_SECOND / seconds,
                cores(start.jvm(), end.jvm(), seconds),
                cores(start.postgres(), end.postgres(), seconds),
                cores(start.anvil(), end.anvil(), seconds));
    }

    private static double cores(Duration start, Duration end, double seconds) {
        // A PostgreSQL backend that exits takes its CPU time with it; never report less than nothing.
        return Math.max(0, end.minus(start).toNanos() / 1e9 / seconds);
    }

    private static Duration cpu(ProcessHandle process) {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** All CPU ticks of the machine so far except idle and iowait. */
    private static long machineBusyTicks() {
        try (Stream<String> lines = Files.lines(PROC_STAT)) {
            String cpu = lines.filter(l -> l.startsWith("cpu ")).findFirst().orElseThrow();
            long[] ticks = Arrays.stream(cpu.substring(4).strip().split("\\s+"))
                    .mapToLong(Long::parseLong)
                    .toArray();
            long total = Arrays.stream(ticks, 0, Math.min(ticks.length, 8)).sum(); // user..steal; guest is inside user
            return total - ticks[3] - ticks[4];
        } catch (IOException e) {
            return 0;
        }
    }
}
