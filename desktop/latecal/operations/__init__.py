"""One operation per user action (move, schedule, unschedule, save, delete, restore, duplicate, retry, resolve),
Qt-free. Each takes the store and its arguments, makes one durable transaction for one post or many, and
returns one ``OpResult``: the change set, the posts as stored now, and what to tell the user."""
