//! Parquet copies of the CSV tables (`trials.csv`, `sweep.csv`) for users who load results into
//! dataframes (pandas, polars, DuckDB, Arrow).
//!
//! The Parquet file holds exactly the CSV's columns and rows: a column whose every cell is a
//! whole number becomes `Int64`, one whose every cell is a number becomes `Float64`, any other
//! column (the semicolon-separated lists of kill altitudes and times) stays `Utf8`. The CSV stays
//! the file of record (it is what `--resume` reads); the Parquet file is written from it, under
//! a temporary name and renamed.

use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;

use crate::diag::{Blame, CliError};

/// Splits one CSV line into its cells (double-quoted cells may hold commas; `""` is a quote).
fn cells(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut cell)),
            _ => cell.push(c),
        }
    }
    out.push(cell);
    out
}

/// The Parquet bytes of a CSV table with a header line.
/// Every error is a failure (exit code 1): the table is one Bulwark wrote.
pub(crate) fn csv_to_parquet(csv: &str, name: &str) -> Result<Vec<u8>, CliError> {
    let fail = |e: parquet::errors::ParquetError| CliError::caused_by(Blame::Failure, e).context(name);
    let arrow_fail = |e: arrow_schema::ArrowError| CliError::caused_by(Blame::Failure, e).context(name);
    let mut lines = csv.lines().filter(|l| !l.is_empty());
    let header = cells(
        lines
            .next()
            .ok_or_else(|| CliError::failure(format!("{name}: empty table")))?,
    );
    let rows: Vec<Vec<String>> = lines.map(cells).collect();
    if let Some((i, row)) = rows.iter().enumerate().find(|(_, r)| r.len() != header.len()) {
        return Err(CliError::failure(format!(
            "{name}: row {} has {} cells, the header {}",
            i + 1,
            row.len(),
            header.len()
        )));
    }
    let mut fields = Vec::with_capacity(header.len());
    let mut columns: Vec<ArrayRef> = Vec::with_capacity(header.len());
    for (c, title) in header.iter().enumerate() {
        let column: Vec<&str> = rows.iter().map(|r| r[c].as_str()).collect();
        let ints: Option<Vec<i64>> = column.iter().map(|s| s.parse::<i64>().ok()).collect();
        let floats: Option<Vec<f64>> = column.iter().map(|s| s.parse::<f64>().ok()).collect();
        let (data_type, array): (DataType, ArrayRef) = match (ints, floats) {
            (Some(v), _) if !column.is_empty() => (DataType::Int64, Arc::new(Int64Array::from(v))),
            (_, Some(v)) if !column.is_empty() => (DataType::Float64, Arc::new(Float64Array::from(v))),
            _ => (DataType::Utf8, Arc::new(StringArray::from(column))),
        };
        fields.push(Field::new(title, data_type, false));
        columns.push(array);
    }
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), columns).map_err(arrow_fail)?;
    let mut bytes = Vec::new();
    let mut writer = ArrowWriter::try_new(&mut bytes, schema, None).map_err(fail)?;
    writer.write(&batch).map_err(fail)?;
    writer.close().map_err(fail)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::Array;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    /// A small table goes through Parquet and comes back with its types and values.
    #[test]
    fn csv_tables_round_trip_through_parquet_with_typed_columns() {
        let csv = "trial,leakers,p,kill_alt_m,\"name, quoted\"\n0,1,0.5,1.5;2.5,\"a, b\"\n1,0,0.25,,c\n";
        let bytes = csv_to_parquet(csv, "t.csv").unwrap();
        let path = std::env::temp_dir().join(format!("bulwark-parquet-test-{}.parquet", std::process::id()));
        std::fs::write(&path, &bytes).unwrap();
        let file = std::fs::File::open(&path).unwrap();
        let reader = ParquetRecordBatchReaderBuilder::try_new(file).unwrap().build().unwrap();
        let batches: Vec<RecordBatch> = reader.map(|b| b.unwrap()).collect();
        assert_eq!(batches.len(), 1);
        let b = &batches[0];
        assert_eq!(b.num_rows(), 2);
        let schema = b.schema();
        let types: Vec<_> = schema.fields().iter().map(|f| f.data_type().clone()).collect();
        assert_eq!(
            types,
            [
                DataType::Int64,
                DataType::Int64,
                DataType::Float64,
                DataType::Utf8,
                DataType::Utf8
            ]
        );
        assert_eq!(schema.field(4).name(), "name, quoted");
        let leakers = b.column(1).as_any().downcast_ref::<Int64Array>().unwrap();
        assert_eq!(leakers.values(), &[1, 0]);
        let p = b.column(2).as_any().downcast_ref::<Float64Array>().unwrap();
        assert_eq!(p.values(), &[0.5, 0.25]);
        let kills = b.column(3).as_any().downcast_ref::<StringArray>().unwrap();
        assert_eq!(kills.value(0), "1.5;2.5");
        assert_eq!(kills.value(1), "");
        let names = b.column(4).as_any().downcast_ref::<StringArray>().unwrap();
        assert_eq!(names.value(0), "a, b");
        assert!(!names.is_null(1));
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn ragged_tables_are_refused() {
        let err = csv_to_parquet("a,b\n1,2\n3\n", "x.csv").unwrap_err();
        assert!(err.message().contains("row 2 has 1 cells"), "{err}");
        assert_eq!(err.exit_code(), crate::diag::EXIT_FAILURE);
        assert!(csv_to_parquet("", "x.csv").unwrap_err().message().contains("empty"));
    }
}
