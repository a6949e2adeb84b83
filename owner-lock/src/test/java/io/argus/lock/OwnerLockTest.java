package io.argus.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerLockTest {

    @TempDir
    Path dir;

    private Process holder;

    @AfterEach
    void stopHolder() {
        if (holder != null) {
            holder.destroyForcibly();
        }
    }

    @Test
    void theOwnerWritesItsPidAndASecondOwnerInThisJvmIsRefusedWithIt() throws IOException {
        Path file = dir.resolve("owner.lock");
        try (OwnerLock owner = OwnerLock.acquire(file)) {
            assertThat(Files.readString(file).strip()).isEqualTo(Long.toString(ProcessHandle.current().pid()));

            assertThatThrownBy(() -> OwnerLock.acquire(file))
                .isInstanceOfSatisfying(OwnerLock.HeldException.class, held -> {
                    assertThat(held.file()).isEqualTo(file);
                    assertThat(held.ownerPid()).hasValue(ProcessHandle.current().pid());
                })
                .hasMessage(file + " is locked by another owner (pid " + ProcessHandle.current().pid() + ")");
        }
    }

    @Test
    void closingReleasesTheLockOnceAndKeepsTheFile() throws IOException {
        Path file = dir.resolve("owner.lock");
        OwnerLock owner = OwnerLock.acquire(file);
        owner.close();
        owner.close();

        assertThat(file).exists();
        OwnerLock.acquire(file).close();
    }

    @Test
    void aFileLeftByAnOwnerThatDiedIsNotALock() throws Exception {
        Process dead = new ProcessBuilder(javaCommand("-version")).redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(dead.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Path file = dir.resolve("owner.lock");
        Files.writeString(file, dead.pid() + "\n");

        try (OwnerLock owner = OwnerLock.acquire(file)) {
            assertThat(Files.readString(file).strip()).isEqualTo(Long.toString(ProcessHandle.current().pid()));
        }
    }

    @Test
    void anotherProcessHoldsTheLockUntilItIsKilledWithoutCleaningUp() throws Exception {
        Path file = dir.resolve("owner.lock");
        holder = new ProcessBuilder(javaCommand("-cp", System.getProperty("java.class.path"),
            LockHolder.class.getName(), file.toString())).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo(LockHolder.LOCKED);

        assertThatThrownBy(() -> OwnerLock.acquire(file))
            .isInstanceOfSatisfying(OwnerLock.HeldException.class,
                held -> assertThat(held.ownerPid()).hasValue(holder.pid()));

        holder.destroyForcibly();
        assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(file).strip()).as("the dead owner's pid stays in the file")
            .isEqualTo(Long.toString(holder.pid()));
        OwnerLock.acquire(file).close();
    }

    @Test
    void aSecondOwnerRefusedInThisJvmLeavesTheLockHeldAgainstOtherProcesses() throws Exception {
        Path file = dir.resolve("owner.lock");
        try (OwnerLock owner = OwnerLock.acquire(file)) {
            assertThatThrownBy(() -> OwnerLock.acquire(file)).isInstanceOf(OwnerLock.HeldException.class);
            assertThatThrownBy(() -> OwnerLock.acquire(dir.resolve(".").resolve("owner.lock")))
                .as("the same file by another path").isInstanceOf(OwnerLock.HeldException.class);

            holder = new ProcessBuilder(javaCommand("-cp", System.getProperty("java.class.path"),
                LockHolder.class.getName(), file.toString())).redirectErrorStream(true).start();
            BufferedReader said = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                StandardCharsets.UTF_8));
            assertThat(said.readLine()).as("the other process's first line").contains("HeldException")
                .contains("(pid " + ProcessHandle.current().pid() + ")");
        }
    }

    private static String[] javaCommand(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        return command;
    }
}
