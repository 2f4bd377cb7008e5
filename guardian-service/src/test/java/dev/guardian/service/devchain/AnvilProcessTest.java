package dev.guardian.service.devchain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnvilProcessTest {

    @AfterEach
    void clearBinaryProperty() {
        System.clearProperty(AnvilProcess.BINARY_SYSTEM_PROPERTY);
    }

    @Test
    void startsOnAFreePortAnswersAndIsGoneAfterClose() throws Exception {
        AnvilProcess anvil = AnvilProcess.start();
        int port = anvil.port();
        try {
            assertThat(chainIdAt(anvil.rpcUrl())).isEqualTo(31337);
            assertThat(anvil.isAlive()).isTrue();
        } finally {
            anvil.close();
        }

        assertThat(anvil.isAlive()).isFalse();
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                .isInstanceOf(ConnectException.class);
        assertThat(anvil.logFile()).doesNotExist();
    }

    @Test
    void servesTheChainIdItIsAskedFor() throws Exception {
        try (AnvilProcess anvil = AnvilProcess.start(AnvilOptions.defaults().withChainId(84532))) {
            assertThat(chainIdAt(anvil.rpcUrl())).isEqualTo(84532);
            assertThat(anvil.chainId()).isEqualTo(84532);
        }
    }

    @Test
    void showsAnvilsOwnWordsWhenItExitsAtStart() {
        assertThatThrownBy(() -> AnvilProcess.start(AnvilOptions.defaults().withExtraArguments("--no-such-option")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Anvil exited with status")
                .hasMessageContaining("--no-such-option");
    }

    @Test
    void reportsAGivenPortThatIsTaken() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> AnvilProcess.start(AnvilOptions.defaults().withPort(taken.getLocalPort())))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("port " + taken.getLocalPort());
        }
    }

    @Test
    void findsThePinnedBinaryInTheRepositorysNodeModules() {
        Path binary = AnvilProcess.locateBinary();

        assertThat(binary.toString())
                .contains("node_modules/@foundry-rs/anvil-")
                .endsWith("bin/anvil");
        assertThat(Files.isExecutable(binary)).isTrue();
    }

    @Test
    void prefersTheConfiguredBinary(@TempDir Path dir) throws IOException {
        Path fake = Files.createFile(
                dir.resolve("anvil"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        System.setProperty(AnvilProcess.BINARY_SYSTEM_PROPERTY, fake.toString());

        assertThat(AnvilProcess.locateBinary()).isEqualTo(fake);
    }

    @Test
    void refusesAConfiguredBinaryThatIsNotThere(@TempDir Path dir) {
        System.setProperty(
                AnvilProcess.BINARY_SYSTEM_PROPERTY, dir.resolve("missing").toString());

        assertThatThrownBy(AnvilProcess::locateBinary)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not exist or is not executable");
    }

    private static long chainIdAt(URI rpcUrl) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(rpcUrl)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[]}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        String hex = response.body().replaceAll(".*\"result\"\\s*:\\s*\"0x([0-9a-fA-F]+)\".*", "$1");
        return Long.parseLong(hex, 16);
    }
}
