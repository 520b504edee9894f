package dev.mnistdrill.ui;

import dev.mnistdrill.ui.view.WorkbenchController;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/** What the headless window tests (TestFX on Monocle) share: the window on a context, the FX thread, waiting. */
final class UiTests {
    private static final FxRobot robot = new FxRobot();

    private UiTests() {
    }

    /** Opens the workbench on {@code context} in TestFX's stage, as the app shows it; returns its controller. */
    static WorkbenchController openWindow(WorkbenchContext context) throws Exception {
        WorkbenchController[] controller = new WorkbenchController[1];
        FxToolkit.registerPrimaryStage();
        FxToolkit.setupStage(s -> {
            WorkbenchApp.Loaded loaded = WorkbenchApp.build(context);
            controller[0] = loaded.controller();
            Scene scene = new Scene(loaded.root(), 1480, 920);
            scene.getStylesheets().add(WorkbenchApp.stylesheet());
            s.setScene(scene);
            s.show();
            s.toFront();
        });
        WaitForAsyncUtils.waitForFxEvents();
        return controller[0];
    }

    /** Closes {@code context} and the window, and deletes {@code home}; either may be null (set-up failed). */
    static void closeWindow(WorkbenchContext context, Path home) throws Exception {
        if (context != null) {
            context.close();
        }
        FxToolkit.cleanupStages();
        if (home != null) {
            try (Stream<Path> walk = Files.walk(home)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static <T> T fx(Callable<T> action) throws Exception {
        return WaitForAsyncUtils.asyncFx(action).get(30, TimeUnit.SECONDS);
    }

    static void fxRun(Runnable action) throws Exception {
        WaitForAsyncUtils.asyncFx(action).get(30, TimeUnit.SECONDS);
    }

    /**
     * Waits up to {@code seconds} for {@code condition} (asked on the FX thread); on time-out fails with what it waited
     * for and the window's {@code status} then.
     */
    static void waitFor(int seconds, String what, Callable<Boolean> condition, Callable<String> status)
            throws Exception {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> fx(condition));
        } catch (TimeoutException e) {
            throw new AssertionError("timed out after " + seconds + " s waiting for " + what + "; status: "
                    + fx(status), e);
        }
    }

    /** Brings the tab titled {@code text} forward, as a click on its header does. */
    static void selectTab(String text) {
        robot.clickOn(robot.lookup(".tab-label").match(n -> ((Label) n).getText().equals(text))
                .queryAs(Label.class));
        WaitForAsyncUtils.waitForFxEvents();
    }
}
