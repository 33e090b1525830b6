"""The Notificaties register (Notificaties API 1.0.1): kanalen, abonnementen, the router that
turns every committed outbox message into deliveries, and the durable dispatcher."""
