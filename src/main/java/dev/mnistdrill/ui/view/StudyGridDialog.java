package dev.mnistdrill.ui.view;

import dev.mnistdrill.model.Knob;
import dev.mnistdrill.model.StudySpec;
import dev.mnistdrill.ui.vm.StudyGridDraft;
import dev.mnistdrill.ui.vm.StudyGridDraft.AxisRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import javafx.util.StringConverter;

/**
 * The "Grid…" dialog: rows of knob = values, each checked as it is typed (the reason under the row), the resulting
 * settings × seeds = runs below; OK only when every row is usable. Returns the grid's axes, or nothing on Cancel.
 */
public final class StudyGridDialog {
    /** The OK button's type: the dialog's result is the grid when it was pressed. */
    public static final ButtonType USE = new ButtonType("Use this grid", ButtonBar.ButtonData.OK_DONE);

    private final StudyGridDraft draft;
    private final Map<AxisRow, Node> rowNodes = new HashMap<>();
    private final Dialog<List<StudySpec.Axis>> dialog = new Dialog<>();

    @FXML VBox gridRows;
    @FXML Button addAxisButton;
    @FXML Label gridRunCount;
    @FXML Label gridProblem;

    public StudyGridDialog(Window owner, StudyGridDraft draft, String stylesheet) {
        this.draft = draft;
        FXMLLoader loader = new FXMLLoader(StudyGridDialog.class.getResource("/dev/mnistdrill/ui/StudyGrid.fxml"));
        loader.setController(this);
        Parent content;
        try {
            content = loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load StudyGrid.fxml", e);
        }
        dialog.setTitle("Grid of settings");
        dialog.setHeaderText("Vary knobs of the experiment: every combination is a setting");
        dialog.initOwner(owner);
        dialog.setResizable(true);
        dialog.getDialogPane().setContent(content);
        dialog.getDialogPane().getButtonTypes().setAll(USE, ButtonType.CANCEL);
        if (stylesheet != null) {
            dialog.getDialogPane().getStylesheets().add(stylesheet);
        }
        Node use = dialog.getDialogPane().lookupButton(USE);
        use.disableProperty().bind(draft.validProperty().not());
        dialog.setResultConverter(button -> button == USE ? draft.axesProperty().get() : null);
    }

    @FXML
    void initialize() {
        for (AxisRow row : draft.rows()) {
            gridRows.getChildren().add(rowNode(row));
        }
        draft.rows().addListener((ListChangeListener<AxisRow>) c -> {
            while (c.next()) {
                for (AxisRow gone : c.getRemoved()) {
                    gridRows.getChildren().remove(rowNodes.remove(gone));
                }
                for (AxisRow added : c.getAddedSubList()) {
                    gridRows.getChildren().add(rowNode(added));
                }
            }
            addAxisButton.setDisable(draft.rows().size() >= Knob.studyKnobs().size());
        });
        gridRunCount.textProperty().bind(draft.summaryProperty());
        gridProblem.textProperty().bind(draft.problemProperty().map(p -> p.isEmpty() ? "" : "⚠  " + p));
        gridProblem.visibleProperty().bind(draft.problemProperty().isNotEmpty());
        gridProblem.managedProperty().bind(gridProblem.visibleProperty());
        addAxisButton.setTooltip(new Tooltip("Add a row for another knob; it starts with the experiment's value"));
    }

    /** A row: the knob, its values, a remove button, and the row's problem under it. */
    private Node rowNode(AxisRow row) {
        ComboBox<Knob> knob = new ComboBox<>();
        knob.getItems().setAll(Knob.studyKnobs());
        knob.setConverter(new StringConverter<>() {
            @Override
            public String toString(Knob k) {
                // the command line's name, as in `drill study --grid`, and the form's label where they differ
                return k == null ? "" : k.cliName().equalsIgnoreCase(k.label()) ? k.cliName()
                        : k.cliName() + " (" + k.label() + ")";
            }

            @Override
            public Knob fromString(String s) {
                return Knob.byName(s.replaceFirst(" \\(.*", ""));
            }
        });
        knob.valueProperty().bindBidirectional(row.knobProperty());
        knob.setPrefWidth(170);
        knob.getStyleClass().add("grid-knob");
        TextField values = new TextField();
        values.textProperty().bindBidirectional(row.valuesProperty());
        values.getStyleClass().add("grid-values");
        values.promptTextProperty().bind(row.knobProperty().map(k -> "e.g. " + StudyGridDraft.example(k)));
        HBox.setHgrow(values, Priority.ALWAYS);
        Button remove = new Button("✕");
        remove.getStyleClass().addAll("small", "grid-remove");
        remove.setTooltip(new Tooltip("Stop varying this knob"));
        remove.setOnAction(e -> draft.removeRow(row));
        HBox line = new HBox(8, knob, values, remove);
        line.setAlignment(Pos.CENTER_LEFT);
        Label error = new Label();
        error.getStyleClass().add("grid-error");
        error.setWrapText(true);
        error.textProperty().bind(row.errorProperty());
        error.visibleProperty().bind(row.errorProperty().isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());
        row.errorProperty().addListener((o, was, now) -> markInvalid(values, now));
        markInvalid(values, row.errorProperty().get());
        VBox box = new VBox(3, line, error);
        box.getStyleClass().add("grid-row");
        rowNodes.put(row, box);
        return box;
    }

    private static void markInvalid(TextField field, String error) {
        field.getStyleClass().remove("invalid");
        if (!error.isEmpty()) {
            field.getStyleClass().add("invalid");
        }
        field.setTooltip(error.isEmpty() ? null : new Tooltip(error));
    }

    @FXML
    void addAxis() {
        AxisRow row = draft.addRow();
        if (row != null && rowNodes.get(row) instanceof VBox box
                && ((HBox) box.getChildren().get(0)).getChildren().get(1) instanceof TextField field) {
            field.requestFocus();
            field.end();
        }
    }

    public Dialog<List<StudySpec.Axis>> dialog() {
        return dialog;
    }

    public StudyGridDraft draft() {
        return draft;
    }
}
