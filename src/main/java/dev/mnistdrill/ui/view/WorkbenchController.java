package dev.mnistdrill.ui.view;

import dev.mnistdrill.ui.WorkbenchContext;
import dev.mnistdrill.ui.vm.StudiesViewModel;
import dev.mnistdrill.ui.vm.TrainingViewModel;
import dev.mnistdrill.ui.vm.TrainingViewModel.State;
import javafx.beans.binding.Bindings;
import java.util.List;
import javafx.fxml.FXML;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.BorderPane;

/** The window: run controls in the header, the experiment on the left, the tabs in the middle, status below. */
public final class WorkbenchController {
    private final WorkbenchContext context;

    @FXML BorderPane root;
    @FXML Button startButton;
    @FXML Button pauseButton;
    @FXML Button stopButton;
    @FXML Label runLabel;
    @FXML TabPane tabs;
    @FXML Tab trainingTab;
    @FXML Tab samplesTab;
    @FXML Tab drawTab;
    @FXML Tab runsTab;
    @FXML Tab studiesTab;
    @FXML Label trainingStatus;
    @FXML Label dataStatus;
    @FXML Hyperlink retryData;
    @FXML ExperimentController experimentController;
    @FXML TrainingController trainingViewController;
    @FXML SamplesController samplesViewController;
    @FXML DrawController drawViewController;
    @FXML RunsController runsViewController;
    @FXML StudiesController studiesViewController;

    public WorkbenchController(WorkbenchContext context) {
        this.context = context;
    }

    @FXML
    void initialize() {
        TrainingViewModel training = context.training();
        StudiesViewModel studies = context.studies();
        // one thing trains at a time: a study already takes every core
        startButton.disableProperty().bind(training.busyProperty().or(context.experiment().validProperty().not())
                .or(studies.busyProperty()));
        pauseButton.disableProperty().bind(training.pausableProperty().not());
        pauseButton.textProperty().bind(Bindings.createStringBinding(
                () -> training.state() == State.PAUSED ? "▶  Resume" : "❚❚  Pause", training.stateProperty()));
        stopButton.disableProperty().bind(training.busyProperty().not()
                .or(training.stateProperty().isEqualTo(State.STOPPING)));
        runLabel.textProperty().bind(Bindings.createStringBinding(() -> switch (training.state()) {
            case IDLE -> studyLabel(studies);
            case PREPARING -> "preparing";
            case RUNNING -> "training";
            case PAUSED -> "paused";
            case STOPPING -> "stopping";
        }, training.stateProperty(), studies.stateProperty(), studies.runsDoneTextProperty()));
        training.stateProperty().addListener(o -> styleRunLabel());
        studies.stateProperty().addListener(o -> styleRunLabel());
        // the Studies tab tells from afar that a study trains, and how far it is
        Label studiesBadge = new Label();
        studiesBadge.getStyleClass().add("tab-badge");
        studiesBadge.textProperty().bind(Bindings.createStringBinding(() -> studies.runsDoneTextProperty().get()
                .isEmpty() ? "…" : studies.runsDoneTextProperty().get(), studies.runsDoneTextProperty()));
        // set and taken away rather than hidden: a tab's header does not lay out again for a graphic turning visible
        studies.busyProperty().addListener((o, was, now) -> studiesTab.setGraphic(now ? studiesBadge : null));
        studiesTab.setTooltip(new Tooltip("Studies: one experiment on several seeds, or a grid of settings, judged "
                + "by on how many seeds the target held (" + STUDIES.getDisplayText() + ")"));
        studies.activeIdProperty().addListener((o, was, now) -> {
            if (now != null) {
                tabs.getSelectionModel().select(studiesTab); // a study just started: show it
            }
        });
        studiesViewController.setOnOpenRun(this::openRun);
        startButton.setTooltip(new Tooltip("Train the experiment on the left (" + START.getDisplayText() + ")"));
        pauseButton.setTooltip(new Tooltip("Pause or resume after the batch in flight ("
                + PAUSE.getDisplayText() + ")"));
        stopButton.setTooltip(new Tooltip("Stop the run; the epochs completed are kept (" + STOP.getDisplayText()
                + ")"));
        root.sceneProperty().addListener((o, was, now) -> {
            if (now != null) {
                installShortcuts(now);
            }
        });
        runsViewController.setTableShown(runsTab.isSelected());
        runsTab.selectedProperty().addListener((o, was, now) -> runsViewController.setTableShown(now));
        trainingStatus.textProperty().bind(training.statusProperty());
        dataStatus.textProperty().bind(context.data().statusProperty());
        // MNIST failed to load (no cache, no network): try again from here, not only by pressing Start
        retryData.visibleProperty().bind(context.data().errorProperty().isNotNull()
                .and(context.data().loadingProperty().not()));
        retryData.managedProperty().bind(retryData.visibleProperty());
        context.data().errorProperty().addListener((o, was, now) -> {
            dataStatus.getStyleClass().remove("error");
            if (now != null) {
                dataStatus.getStyleClass().add("error");
            }
        });
    }

    /** "study 3/10" in the header while a study trains and no single run does. */
    private static String studyLabel(StudiesViewModel studies) {
        return switch (studies.state()) {
            case IDLE -> "";
            case STARTING -> "study starting";
            case STOPPING -> "study stopping";
            case RUNNING -> ("study " + studies.runsDoneTextProperty().get()).strip();
        };
    }

    private void styleRunLabel() {
        State now = context.training().state();
        StudiesViewModel.State study = context.studies().state();
        runLabel.getStyleClass().removeAll("state-running", "state-paused", "state-stopping");
        if (now == State.RUNNING || now == State.PREPARING || now == State.IDLE
                && (study == StudiesViewModel.State.RUNNING || study == StudiesViewModel.State.STARTING)) {
            runLabel.getStyleClass().add("state-running");
        } else if (now == State.PAUSED) {
            runLabel.getStyleClass().add("state-paused");
        } else if (now == State.STOPPING || study == StudiesViewModel.State.STOPPING) {
            runLabel.getStyleClass().add("state-stopping");
        }
    }

    /** Opens a study's run on the Runs tab, as a double-click there does. */
    private void openRun(String runId) {
        tabs.getSelectionModel().select(runsTab);
        runsViewController.reveal(runId);
    }

    static final KeyCombination START = new KeyCodeCombination(KeyCode.ENTER, KeyCombination.SHORTCUT_DOWN);
    static final KeyCombination STUDIES = new KeyCodeCombination(KeyCode.DIGIT5, KeyCombination.SHORTCUT_DOWN);
    static final KeyCombination PAUSE = new KeyCodeCombination(KeyCode.P, KeyCombination.SHORTCUT_DOWN);
    static final KeyCombination STOP = new KeyCodeCombination(KeyCode.PERIOD, KeyCombination.SHORTCUT_DOWN);
    static final KeyCombination UNDO = new KeyCodeCombination(KeyCode.Z, KeyCombination.SHORTCUT_DOWN);
    static final KeyCombination SAVE = new KeyCodeCombination(KeyCode.S, KeyCombination.SHORTCUT_DOWN);

    /**
     * Keyboard shortcuts, each doing what its button does when that button is enabled: Ctrl+Enter starts, Ctrl+P
     * pauses or resumes, Ctrl+. stops, Ctrl+1-5 switch tabs; on the Draw tab Ctrl+Z undoes a stroke and Delete
     * clears; on the Runs tab Ctrl+S saves the notes. A plain Enter no longer starts a run (it did as the
     * window's default button, from any text field).
     */
    private void installShortcuts(Scene scene) {
        var keys = scene.getAccelerators();
        // not while typing notes: a stray Ctrl+. there would stop a run for good
        keys.put(START, () -> fireUnlessTyping(scene, startButton));
        keys.put(PAUSE, () -> fireUnlessTyping(scene, pauseButton));
        keys.put(STOP, () -> fireUnlessTyping(scene, stopButton));
        List<Tab> order = List.of(trainingTab, samplesTab, drawTab, runsTab, studiesTab);
        for (int i = 0; i < order.size(); i++) {
            Tab tab = order.get(i);
            keys.put(new KeyCodeCombination(KeyCode.getKeyCode(Integer.toString(i + 1)),
                    KeyCombination.SHORTCUT_DOWN), () -> tabs.getSelectionModel().select(tab));
        }
        // Ctrl+Z and Delete belong to a text field when one has the focus
        scene.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (e.isConsumed() || scene.getFocusOwner() instanceof TextInputControl) {
                return;
            }
            if (drawTab.isSelected() && UNDO.match(e)) {
                drawViewController.undo();
                e.consume();
            } else if (drawTab.isSelected() && e.getCode() == KeyCode.DELETE && !e.isShortcutDown()) {
                drawViewController.clear();
                e.consume();
            }
        });
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (runsTab.isSelected() && SAVE.match(e)) {
                runsViewController.saveNotes();
                e.consume();
            }
        });
    }

    private static void fireUnlessTyping(Scene scene, Button button) {
        if (!button.isDisabled() && !(scene.getFocusOwner() instanceof javafx.scene.control.TextArea)) {
            button.fire();
        }
    }

    /**
     * Asks before a close would stop a run in progress (its completed epochs are stored either way); saves notes
     * typed on the Runs tab and not saved yet. Returns whether the window may close.
     */
    public boolean confirmClose() {
        if (!runsViewController.saveDirtyNotesNow()) {
            Alert failed = new Alert(Alert.AlertType.WARNING, context.runs().status().text()
                    + "\n\nClose anyway and lose them?", ButtonType.YES, ButtonType.NO);
            failed.setHeaderText("Your notes on the open run are not saved");
            failed.initOwner(root.getScene().getWindow());
            if (failed.showAndWait().orElse(ButtonType.NO) != ButtonType.YES) {
                return false;
            }
        }
        StudiesViewModel studies = context.studies();
        if (studies.busyProperty().get()) {
            ButtonType stopAndClose = new ButtonType("Stop the study and close", ButtonBar.ButtonData.OK_DONE);
            Alert ask = new Alert(Alert.AlertType.CONFIRMATION, "Closing stops it. Its completed runs are kept; the "
                    + "runs in training are set aside, and Resume on the Studies tab trains them again.",
                    stopAndClose, ButtonType.CANCEL);
            ask.setHeaderText("A study is training (" + studies.progressTextProperty().get() + ")");
            ask.setTitle("Close MNIST Drill");
            ask.initOwner(root.getScene().getWindow());
            return ask.showAndWait().orElse(ButtonType.CANCEL) == stopAndClose;
        }
        TrainingViewModel training = context.training();
        if (!training.busyProperty().get()) {
            return true;
        }
        ButtonType stopAndClose = new ButtonType("Stop and close", ButtonBar.ButtonData.OK_DONE);
        Alert ask = new Alert(Alert.AlertType.CONFIRMATION, "Closing stops it. The epochs completed so far stay "
                + "in the Runs table with their model; the epoch in progress is lost.", stopAndClose,
                ButtonType.CANCEL);
        ask.setHeaderText("A run is training (" + training.epochs().size() + " epoch(s) done)");
        ask.setTitle("Close MNIST Drill");
        ask.initOwner(root.getScene().getWindow());
        return ask.showAndWait().orElse(ButtonType.CANCEL) == stopAndClose;
    }

    @FXML
    void start() {
        if (context.experiment().config() != null) {
            context.training().start(context.experiment().config());
            tabs.getSelectionModel().select(trainingTab);
        }
    }

    @FXML
    void retryData() {
        context.data().load();
    }

    @FXML
    void togglePause() {
        context.training().togglePause();
    }

    @FXML
    void stop() {
        context.training().stop();
    }

    public DrawController drawController() {
        return drawViewController;
    }

    public TrainingController trainingController() {
        return trainingViewController;
    }

    public RunsController runsController() {
        return runsViewController;
    }

    public TabPane tabs() {
        return tabs;
    }
}
