package dev.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** `--help` on every command picocli knows, nested ones included: usage on stdout, exit 0, no server needed. */
class HelpTest {

    /** No session and no server: a --help that fell through to the command itself would fail, not pass. */
    private static final Map<String, String> NOWHERE = Map.of("PARLEY_CONFIG_DIR", "target/help-test-config",
            "PARLEY_SERVER", "127.0.0.1:1");

    @ParameterizedTest(name = "parley {0} --help")
    @MethodSource("commands")
    void everyCommandExplainsItselfWithHelp(String command) {
        List<String> args = new ArrayList<>(Arrays.asList(command.split(" ")));
        args.add("--help");
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();

        int code = Parley.run(args.toArray(String[]::new), NOWHERE, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: parley " + command).contains("--help");
    }

    /** Every subcommand, by its qualified name less "parley" ("conversations direct"), aliases left out. */
    static Stream<String> commands() {
        Set<String> names = new LinkedHashSet<>();
        collect(new CommandLine(new Parley(NOWHERE, System.in, System.out)), names);
        return names.stream();
    }

    private static void collect(CommandLine command, Set<String> names) {
        command.getSubcommands().values().forEach(sub -> {
            names.add(sub.getCommandSpec().qualifiedName().substring("parley ".length()));
            collect(sub, names);
        });
    }
}
