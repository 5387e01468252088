package dev.kindemcp.bridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Liberty server's JVM as Linux sees it (/proc): CPU time used so far and the resident-memory high-water
 * mark, so that a scenario's server CPU per request excludes the load driver and the fake Kinde.
 */
final class ServerProcess {

    /** Clock ticks per second of /proc/[pid]/stat (USER_HZ, 100 on Linux). */
    private static final double TICKS = 100.0;

    private final long pid;

    ServerProcess(long pid) {
        this.pid = pid;
    }

    /** The server JVM: the process listening on {@code port}, found through the server's pid file. */
    static ServerProcess of(Path serverDirectory) throws IOException {
        Path pidFile = serverDirectory.getParent().resolve(".pid").resolve(serverDirectory.getFileName() + ".pid");
        return new ServerProcess(Long.parseLong(Files.readString(pidFile).trim()));
    }

    long pid() {
        return pid;
    }

    /** User plus system CPU seconds the server has used since it started. */
    double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields after the command: state(0) ... utime(11) stime(12)
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS;
    }

    /** The resident-set high-water mark (VmHWM) in MB. */
    long residentHighWaterMb() throws IOException {
        return status("VmHWM:") / 1024;
    }

    /** The resident set now (VmRSS) in MB. */
    long residentMb() throws IOException {
        return status("VmRSS:") / 1024;
    }

    private long status(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
            }
        }
        throw new IOException(field + " missing from /proc/" + pid + "/status");
    }
}
