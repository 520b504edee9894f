package dev.mnistdrill.ui.view;

import dev.mnistdrill.ui.WorkbenchContext;
import dev.mnistdrill.ui.vm.StatusMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.control.Label;

/** Loads the FXML views, giving every controller (including those of fx:include) the shared context. */
public final class Views {
    private Views() {
    }

    public static FXMLLoader loader(String fxml, WorkbenchContext context) {
        FXMLLoader loader = new FXMLLoader(Views.class.getResource("/dev/mnistdrill/ui/" + fxml));
        loader.setControllerFactory(type -> {
            try {
                for (Constructor<?> c : type.getConstructors()) {
                    if (c.getParameterCount() == 1 && c.getParameterTypes()[0] == WorkbenchContext.class) {
                        return c.newInstance(context);
                    }
                }
                return type.getConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot create controller " + type.getName(), e);
            }
        });
        return loader;
    }

    /** Shows {@code status} in {@code label}: its text, styled as an error while it is one. */
    public static void show(StatusMessage status, Label label) {
        label.textProperty().bind(status.textProperty());
        status.errorProperty().addListener((o, was, now) -> {
            label.getStyleClass().remove("error");
            if (now) {
                label.getStyleClass().add("error");
            }
        });
    }

    public static Parent load(String fxml, WorkbenchContext context) {
        try {
            return loader(fxml, context).load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + fxml, e);
        }
    }
}
