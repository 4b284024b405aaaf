"""The calendar itself: the month, week, day and list views, their scenes and post items, the toolbar and the
legend. Scenes mirror the posts they are given; they never write the store and never compose a sentence."""
