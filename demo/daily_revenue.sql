-- A nightly web-shop job, as a Hive user writes it.
-- var: ds (the day to compute), data (where the raw files are)
CREATE DATABASE IF NOT EXISTS shop;
USE shop;

-- Raw landing tables: Hive's default text format, \001-delimited.
CREATE TABLE IF NOT EXISTS customers_raw (id INT, name STRING, country STRING, segment STRING);
CREATE TABLE IF NOT EXISTS orders_raw (order_id BIGINT, customer_id INT, amount DECIMAL(10,2), status STRING, ts STRING)
  PARTITIONED BY (dt STRING);
LOAD DATA LOCAL INPATH '${data}/customers.txt' OVERWRITE INTO TABLE customers_raw;
LOAD DATA LOCAL INPATH '${data}/orders/${ds}.txt' OVERWRITE INTO TABLE orders_raw PARTITION (dt='${ds}');

CREATE TABLE IF NOT EXISTS daily_revenue (
  country STRING, segment STRING, orders BIGINT, customers BIGINT, revenue DECIMAL(20,2), avg_order DOUBLE
) PARTITIONED BY (dt STRING) STORED AS PARQUET;

INSERT OVERWRITE TABLE daily_revenue PARTITION (dt='${ds}')
SELECT coalesce(c.country, 'unknown') AS country, c.segment,
       count(*) AS orders, count(DISTINCT o.customer_id) AS customers,
       sum(o.amount) AS revenue, avg(o.amount) AS avg_order
FROM orders_raw o
JOIN customers_raw c ON o.customer_id = c.id
WHERE o.dt = '${ds}' AND o.status = 'paid'
GROUP BY coalesce(c.country, 'unknown'), c.segment;

-- The report: the day's top markets.
SELECT dt, country, sum(revenue) AS revenue, sum(orders) AS orders
FROM daily_revenue
WHERE dt = '${ds}'
GROUP BY dt, country
ORDER BY revenue DESC
LIMIT 5;
