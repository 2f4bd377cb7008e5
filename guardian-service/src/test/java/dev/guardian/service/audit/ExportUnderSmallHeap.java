package dev.guardian.service.audit;

import dev.guardian.signer.KeyEncryptionKey;
import dev.guardian.signer.KeyVault;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs one export in a JVM of its own, started by {@link AuditExportMemoryTest} with a small
 * {@code -Xmx}, and prints what it wrote and the most heap used while exporting (the sum of each heap
 * pool's peak, an upper bound). Arguments: JDBC URL, user,
 * password, KEK (base64), format (jsonl or csv), output file.
 */
public final class ExportUnderSmallHeap {
    private ExportUnderSmallHeap() {}

    public static void main(String[] args) throws Exception {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(args[0]);
        dataSource.setUser(args[1]);
        dataSource.setPassword(args[2]);
        TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        AuditKeys keys = AuditKeys.loadOrCreate(
                JdbcClient.create(dataSource),
                transactions,
                new KeyVault(KeyEncryptionKey.fromBase64(args[3])),
                Clock.systemUTC());
        AuditLog log = new AuditLog(dataSource, transactions, Clock.systemUTC(), keys, 100);
        AuditExport export = new AuditExport(dataSource, transactions, log, keys, Clock.systemUTC());
        AuditExport.Format format = args[4].equals("csv") ? AuditExport.Format.CSV : AuditExport.Format.JSONL;

        // Start counting from here: loading the (signed) crypto jars at start-up takes heap of its own.
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        long started = System.nanoTime();
        long records;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(Path.of(args[5])))) {
            records = export.write(export.range(Optional.empty(), Optional.empty()), format, out);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println("records=" + records + " bytes=" + Files.size(Path.of(args[5])) + " peakHeapBytes=" + peak
                + " maxHeapBytes=" + Runtime.getRuntime().maxMemory() + " millis=" + millis);
    }
}
