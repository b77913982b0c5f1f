"""moto server with Amazon Timestream's documented WriteRecords rejection rules.

moto 5.1.1's timestream-write backend stores every record it gets and never answers RejectedRecordsException, so the
sink's partial-failure path could not be exercised against it. This wrapper patches the backend with the rules of the
Timestream developer guide (WriteRecords, "RejectedRecordsException" and "Upserts / record versioning"), then starts the
normal moto server:

  * a record whose time lies outside the memory-store ingestion window [now - MemoryStoreRetentionPeriodInHours,
    now + 15 min) is rejected, unless the table has EnableMagneticStoreWrites and the time is within the magnetic-store
    retention;
  * a record with the same dimensions, measure name and time as a stored record replaces it when its Version is higher,
    is accepted unchanged when its measure values are identical, and is rejected (with ExistingVersion) otherwise;
  * the accepted records of a batch are stored even when others are rejected; the answer is then HTTP 419
    RejectedRecordsException with RejectedRecords [{RecordIndex, Reason, ExistingVersion}].

It also fixes one answer of moto's SNS: PublishBatch's XML has <ResponseMetadata> before <PublishBatchResult>, while
real SNS sends the result first; the AWS SDK for Java v2 reads the first child as the result and would see an empty
answer (no Successful, no Failed entries).

Usage: PYTHONPATH=... /usr/bin/python3 fc_moto_server.py -H 127.0.0.1 -p PORT   (same arguments as moto.server)
"""
import json
import sys
import time

from moto.core.exceptions import JsonRESTError
from moto.sns import responses as sns_responses
from moto.timestreamwrite import models as tsw
from moto.server import main

FUTURE_TOLERANCE_MS = 15 * 60 * 1000
UNIT_TO_MS = {"MILLISECONDS": 1, "SECONDS": 1000, "MICROSECONDS": 0.001, "NANOSECONDS": 0.000001}


class RejectedRecordsException(JsonRESTError):
    code = 419

    def __init__(self, rejected):
        super().__init__("RejectedRecordsException",
                         "One or more records have been rejected. See RejectedRecords for details.")
        self.description = json.dumps({"__type": "RejectedRecordsException", "message": self.message,
                                       "RejectedRecords": rejected})


def _time_ms(record):
    return float(record.get("Time", "0")) * UNIT_TO_MS.get(record.get("TimeUnit", "MILLISECONDS"), 1)


def _key(record):
    dims = tuple(sorted((d["Name"], d["Value"]) for d in record.get("Dimensions", [])))
    return dims, record.get("MeasureName"), _time_ms(record)


def _values(record):
    return (record.get("MeasureValueType"), record.get("MeasureValue"),
            json.dumps(sorted(record.get("MeasureValues", []), key=lambda m: m["Name"]), sort_keys=True))


def _iso(ms):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms / 1000.0)) + "Z"


def _index(table):
    """Position of each stored record by key (a linear search made a write of n records O(n^2) in the table)."""
    index = table.__dict__.get("_fc_index")
    if index is None or len(index) != len(table.records):
        index = {_key(r): i for i, r in enumerate(table.records)}
        table.__dict__["_fc_index"] = index
    return index


def write_records(self, records):
    now = time.time() * 1000
    retention = self.retention_properties or {}
    memory_ms = float(retention.get("MemoryStoreRetentionPeriodInHours", 6)) * 3600 * 1000
    magnetic_ms = float(retention.get("MagneticStoreRetentionPeriodInDays", 73000)) * 86400 * 1000
    magnetic = bool((self.magnetic_store_write_properties or {}).get("EnableMagneticStoreWrites", False))
    rejected = []
    for index, record in enumerate(records):
        t = _time_ms(record)
        oldest = now - (magnetic_ms if magnetic else memory_ms)
        if t < oldest or t >= now + FUTURE_TOLERANCE_MS:
            rejected.append({"RecordIndex": index, "Reason": "The record timestamp is outside the time range [%s, %s)"
                             " of the data ingestion window." % (_iso(oldest), _iso(now + FUTURE_TOLERANCE_MS))})
            continue
        version = int(record.get("Version", 1))
        key = _key(record)
        by_key = _index(self)
        existing = by_key.get(key)
        if existing is None:
            by_key[key] = len(self.records)
            self.records.append(record)
            continue
        old = self.records[existing]
        old_version = int(old.get("Version", 1))
        if version > old_version:
            self.records[existing] = record
        elif _values(old) == _values(record):
            pass
        else:
            rejected.append({"RecordIndex": index, "ExistingVersion": old_version,
                             "Reason": "A record with the same dimensions, timestamp, and measure name but a different"
                                       " measure value already exists with version %d; a higher version is needed to"
                                       " update it." % old_version})
    if rejected:
        raise RejectedRecordsException(rejected)


tsw.TimestreamTable.write_records = write_records


def _result_first(template):
    start, end = template.index("  <ResponseMetadata>"), template.index("</ResponseMetadata>") + len("</ResponseMetadata>\n")
    metadata = template[start:end]
    rest = template[:start] + template[end:]
    close = rest.rindex("</PublishBatchResponse>")
    return rest[:close] + metadata + rest[close:]


sns_responses.PUBLISH_BATCH_TEMPLATE = _result_first(sns_responses.PUBLISH_BATCH_TEMPLATE)

if __name__ == "__main__":
    main(sys.argv[1:])
