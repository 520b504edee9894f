package dev.mnistdrill.app;

import dev.mnistdrill.cli.Cli;
import dev.mnistdrill.engine.Engine;

/**
 * The single entry point: no arguments opens the workbench window; anything else is a headless command
 * ({@code train}, {@code bench}, {@code summary}, {@code predict}, {@code runs}, {@code --version}).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Engine.configure();
        if (args.length == 0 || args[0].equals("ui")) {
            // Loaded by name so that the headless commands never initialise JavaFX.
            Class<?> app = Class.forName("dev.mnistdrill.ui.WorkbenchApp");
            app.getMethod("main", String[].class).invoke(null, (Object) new String[0]);
            return;
        }
        System.exit(Cli.execute(args));
    }
}
