-- Revenue per market for one day of the web shop's orders (the demo's nightly job, as
-- deployed: the raw tables are filled by the landing process, not by LOAD DATA LOCAL).
-- schedule: cron(0 2 * * ? *)
-- var: ds=${yesterday}
CREATE DATABASE IF NOT EXISTS shop;
USE shop;

CREATE TABLE IF NOT EXISTS customers_raw (id INT, name STRING, country STRING, segment STRING);
CREATE TABLE IF NOT EXISTS orders_raw (order_id BIGINT, customer_id INT, amount DECIMAL(10,2), status STRING, ts STRING)
  PARTITIONED BY (dt STRING);
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

-- The day's top markets: result rows, paged through the API.
SELECT dt, country, sum(revenue) AS revenue, sum(orders) AS orders
FROM daily_revenue
WHERE dt = '${ds}'
GROUP BY dt, country
ORDER BY revenue DESC
LIMIT 5;
