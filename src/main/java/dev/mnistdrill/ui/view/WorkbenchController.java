package dev.mnistdrill.ui.view;

import dev.mnistdrill.ui.WorkbenchContext;
import dev.mnistdrill.ui.vm.TrainingViewModel;
import dev.mnistdrill.ui.vm.TrainingViewModel.State;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
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
    @FXML Label trainingStatus;
    @FXML Label dataStatus;
    @FXML ExperimentController experimentController;
    @FXML TrainingController trainingViewController;
    @FXML SamplesController samplesViewController;
    @FXML DrawController drawViewController;
    @FXML RunsController runsViewController;

    public WorkbenchController(WorkbenchContext context) {
        this.context = context;
    }

    @FXML
    void initialize() {
        TrainingViewModel training = context.training();
        startButton.disableProperty().bind(training.busyProperty().or(context.experiment().validProperty().not()));
        pauseButton.disableProperty().bind(training.pausableProperty().not());
        pauseButton.textProperty().bind(Bindings.createStringBinding(
                () -> training.state() == State.PAUSED ? "▶  Resume" : "❚❚  Pause", training.stateProperty()));
        stopButton.disableProperty().bind(training.busyProperty().not()
                .or(training.stateProperty().isEqualTo(State.STOPPING)));
        runLabel.textProperty().bind(Bindings.createStringBinding(() -> switch (training.state()) {
            case IDLE -> "";
            case PREPARING -> "preparing";
            case RUNNING -> "training";
            case PAUSED -> "paused";
            case STOPPING -> "stopping";
        }, training.stateProperty()));
        training.stateProperty().addListener((o, was, now) -> {
            runLabel.getStyleClass().removeAll("state-running", "state-paused", "state-stopping");
            if (now == State.RUNNING || now == State.PREPARING) {
                runLabel.getStyleClass().add("state-running");
            } else if (now == State.PAUSED) {
                runLabel.getStyleClass().add("state-paused");
            } else if (now == State.STOPPING) {
                runLabel.getStyleClass().add("state-stopping");
            }
        });
        runsViewController.setTableShown(runsTab.isSelected());
        runsTab.selectedProperty().addListener((o, was, now) -> runsViewController.setTableShown(now));
        trainingStatus.textProperty().bind(training.statusProperty());
        dataStatus.textProperty().bind(context.data().statusProperty());
        context.data().errorProperty().addListener((o, was, now) -> {
            dataStatus.getStyleClass().remove("error");
            if (now != null) {
                dataStatus.getStyleClass().add("error");
            }
        });
    }

    @FXML
    void start() {
        if (context.experiment().config() != null) {
            context.training().start(context.experiment().config());
            tabs.getSelectionModel().select(trainingTab);
        }
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

    public TabPane tabs() {
        return tabs;
    }
}
