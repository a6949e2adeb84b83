package io.argus.query;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.eclipse.jetty.ee10.servlet.ServletContextResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A streamed 200 answer is all or nothing. A failure before the first byte is answered like any other (a JSON
 * error); a failure after it aborts the connection, so the client sees a broken response (a reset, an unterminated
 * chunked body) instead of a 200 that is cut short, written twice or followed by an error.
 */
final class StreamedBody {

    private static final Logger LOG = LoggerFactory.getLogger(StreamedBody.class);

    /** Writes a body to the stream it is given. */
    @FunctionalInterface
    interface Writer {
        void writeTo(OutputStream out) throws Exception;
    }

    /** Thrown once the connection is aborted: there is nothing left to answer. */
    static final class Aborted extends RuntimeException {
        Aborted(Throwable cause) {
            super("the response was aborted after its first byte", cause);
        }
    }

    private StreamedBody() {
    }

    static void write(Context ctx, Writer writer) throws Exception {
        FirstByteWatch out = new FirstByteWatch(ctx);
        try {
            writer.writeTo(out);
            out.flush();
        } catch (Exception e) {
            if (!out.started) {
                throw e;
            }
            throw abort(ctx, e);
        }
    }

    /** A body copied from another instance: if it breaks, this answer breaks too. */
    static InputStream relayed(Context ctx, InputStream upstream) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                try {
                    return upstream.read();
                } catch (IOException e) {
                    throw abort(ctx, e);
                }
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                try {
                    return upstream.read(buffer, offset, length);
                } catch (IOException e) {
                    throw abort(ctx, e);
                }
            }

            @Override
            public void close() throws IOException {
                upstream.close();
            }
        };
    }

    /** Aborts the HTTP exchange: Jetty closes the connection without ending the response. */
    static Aborted abort(Context ctx, Throwable cause) {
        LOG.warn("{} {} failed after its first byte; aborting the response: {}", ctx.method(), ctx.path(),
            cause.toString());
        ServletContextResponse.getServletContextResponse(ctx.res()).getServletApiResponse().getServletChannel()
            .abort(cause);
        return new Aborted(cause);
    }

    /** The response's stream, opened at the first byte, remembering whether any byte was written. */
    private static final class FirstByteWatch extends OutputStream {
        private final Context ctx;
        private boolean started;

        FirstByteWatch(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public void write(int b) throws IOException {
            started = true;
            ctx.outputStream().write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (length > 0) {
                started = true;
                ctx.outputStream().write(bytes, offset, length);
            }
        }

        @Override
        public void flush() throws IOException {
            if (started) {
                ctx.outputStream().flush();
            }
        }

        /** The response's stream is closed by Javalin, after the handler. */
        @Override
        public void close() {
        }
    }
}
