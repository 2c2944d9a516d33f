//! A user's complete data as JSON. Reads every table of the schema, so a table added
//! later is exported without anyone remembering to add it here.

use serde_json::{Map, Value};
use sqlx::any::AnyRow;
use sqlx::{Column, Row};

use super::{Store, StoreResult};

fn cell(row: &AnyRow, index: usize) -> Value {
    if let Ok(v) = row.try_get::<Option<i64>, _>(index) {
        return v.map_or(Value::Null, Value::from);
    }
    if let Ok(v) = row.try_get::<Option<String>, _>(index) {
        return v.map_or(Value::Null, Value::from);
    }
    if let Ok(v) = row.try_get::<Option<f64>, _>(index) {
        return v.map_or(Value::Null, Value::from);
    }
    Value::Null
}

impl Store {
    /// Every row that belongs to the user, table by table: `{"users": [...], "slips": [...]}`.
    pub async fn export_user(&self, user_id: i64) -> StoreResult<Value> {
        self.during("export_user", async {
            let mut tables = Map::new();
            for table in self.user_table_names().await? {
                let key = if table == "users" { "id" } else { "user_id" };
                let sql = sqlx::AssertSqlSafe(format!(
                    "SELECT * FROM {table} WHERE {key} = $1 ORDER BY id"
                ));
                let rows = sqlx::query(sql)
                    .bind(user_id)
                    .fetch_all(&mut *self.conn().await?)
                    .await?;
                let rows = rows
                    .iter()
                    .map(|row| {
                        let object: Map<String, Value> = row
                            .columns()
                            .iter()
                            .map(|c| (c.name().to_owned(), cell(row, c.ordinal())))
                            .collect();
                        Value::Object(object)
                    })
                    .collect();
                tables.insert(table, Value::Array(rows));
            }
            Ok(Value::Object(tables))
        })
        .await
    }

    /// How many rows of each table belong to the user (for deletion checks).
    pub async fn rows_owned_by(&self, user_id: i64) -> StoreResult<Vec<(String, i64)>> {
        self.during("rows_owned_by", async {
            let mut counts = Vec::new();
            for table in self.user_table_names().await? {
                let key = if table == "users" { "id" } else { "user_id" };
                let sql = sqlx::AssertSqlSafe(format!(
                    "SELECT COUNT(*) AS n FROM {table} WHERE {key} = $1"
                ));
                let n: i64 = sqlx::query(sql)
                    .bind(user_id)
                    .fetch_one(&mut *self.conn().await?)
                    .await?
                    .try_get("n")?;
                counts.push((table, n));
            }
            Ok(counts)
        })
        .await
    }
}
