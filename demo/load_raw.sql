-- The web shop's landing step: raw text files into Hive text tables, as a Hive user writes it.
-- var: ds (the day to load), data (where the raw files are)
CREATE DATABASE IF NOT EXISTS shop;
USE shop;

-- Raw landing tables: Hive's default text format, \001-delimited.
CREATE TABLE IF NOT EXISTS customers_raw (id INT, name STRING, country STRING, segment STRING);
CREATE TABLE IF NOT EXISTS orders_raw (order_id BIGINT, customer_id INT, amount DECIMAL(10,2), status STRING, ts STRING)
  PARTITIONED BY (dt STRING);
LOAD DATA LOCAL INPATH '${data}/customers.txt' OVERWRITE INTO TABLE customers_raw;
LOAD DATA LOCAL INPATH '${data}/orders/${ds}.txt' OVERWRITE INTO TABLE orders_raw PARTITION (dt='${ds}');
