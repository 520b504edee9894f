package dev.mnistdrill.data;

/** A data file is missing, corrupt or cannot be obtained. The message is meant for the user, as is. */
public class DataException extends RuntimeException {
    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
