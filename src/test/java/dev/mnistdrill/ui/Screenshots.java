package dev.mnistdrill.ui;

import dev.mnistdrill.train.RunRecord;
import dev.mnistdrill.ui.view.ChartImages;
import dev.mnistdrill.ui.view.WorkbenchController;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.event.Event;
import javafx.scene.control.ComboBox;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.stage.Stage;

/**
 * README's Studies and Draw screenshots, taken from the real window over stored runs (a development tool in the test
 * sources, not shipped). HOME holds {@code runs/} and {@code studies/} as ~/.mnist-drill does; give it a copy, since
 * the window may write there. From the repository, FROM being the folder the studies trained in (runs/, studies/):
 *
 * <pre>
 * mkdir -p HOME/runs HOME/studies
 * for s in code3-3671dce1 code4-9d04ad97; do
 *   cp -r FROM/studies/$s HOME/studies/; cp -r FROM/runs/${s}_* HOME/runs/
 * done
 * mvn -B -q -o -DskipTests package
 * xvfb-run -a -s "-screen 0 1600x1000x24" java -Xmx2g -Dprism.order=sw -Dmnistdrill.runs=HOME/runs \
 *   -cp "target/mnist-drill-0.1.0.jar:target/test-classes:target/lib/*" dev.mnistdrill.ui.Screenshots docs
 * </pre>
 *
 * <p>Writes {@code screenshot-studies.png} (the study's bands, the compared study's beside them) and
 * {@code screenshot-draw.png} (the form on the preset, Demo's 7 drawn for the run's model, a feature map hovered) in
 * the folder given. Properties ({@code mnistdrill.shots.}): {@code study} (code4-9d04ad97), {@code compare}
 * (code3-3671dce1), {@code model} (code4-9d04ad97_base_seed5), {@code preset} (code4). Without xvfb, Monocle's
 * headless glass does as well: the system properties of the UI tests in pom.xml, and the openjfx-monocle jar from
 * ~/.m2 added to the class path (target/lib holds only what the app ships). A study with no copy of its own can be
 * put together from docs/results/studies/ID: study.json into HOME/studies/ID, runs/* into HOME/runs.
 */
final class Screenshots {
    private final WorkbenchContext context;
    private final Stage stage;
    private final WorkbenchController controller;

    private Screenshots(WorkbenchContext context, Stage stage, WorkbenchController controller) {
        this.context = context;
        this.stage = stage;
        this.controller = controller;
    }

    public static void main(String[] args) {
        Path out = Path.of(args.length > 0 ? args[0] : "docs");
        WorkbenchApp.launchWith((context, stage, controller) -> {
            Thread driver = new Thread(() -> {
                try {
                    new Screenshots(context, stage, controller).take(out);
                    Platform.exit();
                } catch (Throwable e) {
                    e.printStackTrace();
                    System.exit(1);
                }
            }, "screenshots");
            driver.setDaemon(true);
            driver.start();
        });
    }

    private static String property(String name, String otherwise) {
        return System.getProperty("mnistdrill.shots." + name, otherwise);
    }

    private void take(Path out) throws Exception {
        String study = property("study", "code4-9d04ad97");
        String compare = property("compare", "code3-3671dce1");
        String model = property("model", "code4-9d04ad97_base_seed5");
        waitFor("MNIST, the runs and the studies", () -> context.data().data() != null
                && context.runs().rows().stream().anyMatch(r -> r.record().id().equals(model))
                && context.studies().studies().stream().filter(s -> s.id().equals(study) || s.id().equals(compare))
                .count() == 2);
        fx(() -> context.experiment().applyPreset(property("preset", "code4")));

        fx(() -> {
            selectTab("Studies");
            context.studies().selectedIdProperty().set(study);
            context.studies().compareIdProperty().set(compare);
        });
        waitFor("the study and the compared one", () -> context.studies().comparedProperty().get() != null
                && study.equals(context.studies().selectedIdProperty().get()));
        shoot(out.resolve("screenshot-studies.png"));

        // the model picked from the Draw tab's box of saved runs, as a user picks it
        fx(() -> {
            selectTab("Draw a digit");
            @SuppressWarnings("unchecked")
            ComboBox<RunRecord> box = (ComboBox<RunRecord>) stage.getScene().lookup("#savedRunBox");
            box.show(); // lists the runs
            box.getItems().stream().filter(r -> r.id().equals(model)).findFirst().ifPresent(box::setValue);
            box.hide();
        });
        waitFor("the model on the pad", () -> context.draw().modelDescriptionProperty().get().contains(model));
        fx(() -> controller.drawController().canvas().addStroke(Demo.seven()));
        waitFor("the prediction, its saliency and feature maps", () -> context.draw().saliencyProperty().get() != null
                && context.draw().traceProperty().get() != null
                && controller.drawController().saliency().shownMap() != null);
        fx(() -> Event.fireEvent(controller.drawController().featureMaps().tile(1, 6), new MouseEvent(
                MouseEvent.MOUSE_ENTERED, 0, 0, 0, 0, MouseButton.NONE, 0, false, false, false, false, false, false,
                false, false, false, false, null)));
        shoot(out.resolve("screenshot-draw.png"));
    }

    private void selectTab(String text) {
        controller.tabs().getTabs().stream().filter(t -> t.getText().equals(text)).findFirst()
                .ifPresent(t -> controller.tabs().getSelectionModel().select(t));
    }

    /** Lets the window settle (charts laid out, images painted), then saves it as {@code file}. */
    private void shoot(Path file) throws Exception {
        Thread.sleep(1500);
        CompletableFuture<Void> written = fx(() -> ChartImages.save(stage.getScene().getRoot().snapshot(null, null),
                file, context));
        written.get(30, TimeUnit.SECONDS);
        System.out.println("saved " + file);
    }

    private static <T> T fx(Callable<T> action) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                result.complete(action.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(30, TimeUnit.SECONDS);
    }

    private static void fx(Runnable action) throws Exception {
        fx(() -> {
            action.run();
            return null;
        });
    }

    private static void waitFor(String what, Callable<Boolean> condition) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!fx(condition)) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }
}
